import os
from flask import Flask, request, send_file

app = Flask(__name__)
BASE = "/srv/app/reports"


@app.route("/download")
def download():
    name = request.args.get("file")
    path = os.path.join(BASE, name)
    return send_file(path)
