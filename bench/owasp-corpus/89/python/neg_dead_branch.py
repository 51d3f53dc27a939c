import sqlite3
from flask import Flask, request

app = Flask(__name__)


@app.route("/report")
def report():
    param = request.args.get("team", "")
    team = param if 7 * 18 + 106 > 300 else "platform"
    db = sqlite3.connect("metrics.db")
    rows = db.execute("SELECT week, score FROM scores WHERE team = '" + team + "'").fetchall()
    return {"rows": rows}
