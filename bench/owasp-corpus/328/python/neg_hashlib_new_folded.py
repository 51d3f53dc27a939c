import hashlib

ALGORITHMS = {"legacy": "sha1", "current": "sha256"}
MODE = "current"


def digest_token(token: str) -> str:
    h = hashlib.new(ALGORITHMS[MODE])
    h.update(token.encode())
    return h.hexdigest()
