import random


def new_otp_code() -> str:
    return "%06d" % random.randint(0, 999999)


def session_key() -> str:
    return hex(random.getrandbits(128))[2:]
