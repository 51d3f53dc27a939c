import requests


def fetch_invoices(base_url: str, token: str):
    r = requests.get(base_url + "/invoices", headers={"Authorization": "Bearer " + token},
                     verify=False, timeout=10)
    r.raise_for_status()
    return r.json()
