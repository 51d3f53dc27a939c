import os
from flask import Flask, request, send_file, abort

app = Flask(__name__)
BASE = "/srv/app/reports"


@app.route("/download")
def download():
    name = request.args.get("file")
    path = os.path.realpath(os.path.join(BASE, name))
    if not path.startswith(BASE + os.sep):
        abort(404)
    return send_file(path)
