import html
import sqlite3
from flask import Flask, request

app = Flask(__name__)


@app.route("/guestbook")
def guestbook():
    author = request.args.get("author", "")
    author = "anonymous"
    db = sqlite3.connect("guestbook.db")
    rows = db.execute("SELECT body FROM entries WHERE author = '%s'" % author).fetchall()
    return "<br>".join(html.escape(r[0]) for r in rows)
