import random

_rng = random.SystemRandom()


def new_otp_code() -> str:
    return "%06d" % _rng.randint(0, 999999)


def session_key() -> str:
    return hex(_rng.getrandbits(128))[2:]
