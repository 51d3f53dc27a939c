"""The same handlers written safely: a bound SQL parameter, an argument list
without a shell, and an allow-list for the host."""

import sqlite3
import subprocess

from flask import Flask, request

app = Flask(__name__)
HOSTS = {"localhost", "example.com"}


@app.route("/search")
def search():
    term = request.args.get("q", "")
    db = sqlite3.connect("app.db")
    rows = db.execute("SELECT name FROM items WHERE name LIKE ?", ("%" + term + "%",)).fetchall()
    return {"items": [r[0] for r in rows]}


@app.route("/ping")
def ping():
    host = request.args.get("host", "localhost")
    if host not in HOSTS:
        return {"error": "unknown host"}, 400
    out = subprocess.run(["ping", "-c", "1", host], capture_output=True)
    return {"ok": out.returncode == 0}
