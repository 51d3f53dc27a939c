import os
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes


def seal(key: bytes, block: bytes) -> bytes:
    iv = os.urandom(16)
    enc = Cipher(algorithms.AES(key), modes.CBC(iv)).encryptor()
    return iv + enc.update(block) + enc.finalize()
