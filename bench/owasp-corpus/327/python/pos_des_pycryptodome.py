from Crypto.Cipher import DES
from Crypto.Random import get_random_bytes


def encrypt(key: bytes, data: bytes) -> bytes:
    iv = get_random_bytes(8)
    cipher = DES.new(key, DES.MODE_CBC, iv)
    pad = 8 - len(data) % 8
    return iv + cipher.encrypt(data + bytes([pad]) * pad)
