"""The example shop's web application (Flask)."""

import logging

from flask import Flask, request

app = Flask(__name__)
log = logging.getLogger("shop")


@app.after_request
def security_headers(resp):
    resp.headers["Content-Security-Policy"] = "default-src 'self'"
    return resp


@app.route("/orders", methods=["POST"])
def create_order():
    item = request.form.get("item", "")
    log.info("order for %s", item)
    return {"ok": True}
