import shlex
from flask import Flask, request

app = Flask(__name__)


@app.route("/run-preview")
def run_preview():
    arg = shlex.quote(request.args.get("arg", ""))
    return "<pre>cmd " + arg + "</pre>"
