from flask import Flask, request, redirect, session

app = Flask(__name__)


@app.route("/login", methods=["POST"])
def login():
    session["user"] = "demo"
    target = request.args.get("next", "/")
    return redirect(target)
