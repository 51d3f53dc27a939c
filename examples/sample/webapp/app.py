"""A small Flask app as an agent wrote it: the /search and /ping handlers
build SQL and a shell command from request arguments."""

import sqlite3
import subprocess

from flask import Flask, request

app = Flask(__name__)


@app.route("/search")
def search():
    term = request.args.get("q", "")
    db = sqlite3.connect("app.db")
    rows = db.execute("SELECT name FROM items WHERE name LIKE '%" + term + "%'").fetchall()
    return {"items": [r[0] for r in rows]}


@app.route("/ping")
def ping():
    host = request.args.get("host", "localhost")
    out = subprocess.run(f"ping -c 1 {host}", shell=True, capture_output=True)
    return {"ok": out.returncode == 0}
