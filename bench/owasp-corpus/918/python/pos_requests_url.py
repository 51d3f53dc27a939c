import requests
from flask import Flask, request

app = Flask(__name__)


@app.route("/preview")
def preview():
    url = request.args.get("url")
    r = requests.get(url, timeout=5)
    return {"status": r.status_code, "length": len(r.content)}
