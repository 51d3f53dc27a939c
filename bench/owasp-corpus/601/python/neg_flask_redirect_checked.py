from urllib.parse import urlparse
from flask import Flask, request, redirect, session

app = Flask(__name__)


@app.route("/login", methods=["POST"])
def login():
    session["user"] = "demo"
    target = request.args.get("next", "/")
    parts = urlparse(target)
    if parts.netloc or parts.scheme:
        target = "/"
    return redirect(target)
