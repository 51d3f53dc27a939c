from html import escape
from flask import Flask, request

app = Flask(__name__)


@app.route("/hello")
def hello():
    name = escape(request.args.get("name", "world"))
    return f"<h1>Hello {name}</h1>"
