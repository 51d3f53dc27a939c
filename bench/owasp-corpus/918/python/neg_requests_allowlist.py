from urllib.parse import urlparse

import requests
from flask import Flask, request, abort

app = Flask(__name__)
ALLOWED_HOSTS = {"api.github.com", "hooks.slack.com"}


@app.route("/preview")
def preview():
    url = request.args.get("url")
    if urlparse(url).hostname not in ALLOWED_HOSTS:
        abort(400)
    r = requests.get(url, timeout=5)
    return {"status": r.status_code, "length": len(r.content)}
