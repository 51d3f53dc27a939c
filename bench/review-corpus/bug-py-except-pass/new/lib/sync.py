def sync(client, items):
    for it in items:
        try:
            client.push(it)
        except Exception:
            pass
