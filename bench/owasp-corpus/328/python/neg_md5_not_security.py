import hashlib


def cache_key(url: str, params: str) -> str:
    return hashlib.md5((url + params).encode(), usedforsecurity=False).hexdigest()


def etag(body: bytes) -> str:
    return '"' + hashlib.sha256(body).hexdigest()[:16] + '"'
