from flask import Flask, request

app = Flask(__name__)


@app.route("/docs")
def docs():
    pages = {"intro": "docs/intro.md", "api": "docs/api.md"}
    pages["user"] = request.args.get("page")
    with open(pages["user"]) as fh:
        return fh.read()
