import requests


def fetch_all(ids):
    out = []
    for i in ids:
        out.append(requests.get(f'https://api.example.com/items/{i}', timeout=10).json())
    return out
