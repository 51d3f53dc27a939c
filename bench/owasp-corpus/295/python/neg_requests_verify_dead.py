import requests

VERIFY = True
if 3 * 3 > 10:
    VERIFY = False


def health(url: str) -> int:
    return requests.get(url, verify=VERIFY, timeout=3).status_code
