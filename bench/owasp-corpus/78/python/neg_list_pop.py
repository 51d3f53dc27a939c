import os
from flask import Flask, request

app = Flask(__name__)


@app.route("/backup")
def backup():
    items = ["daily", request.args.get("label"), "weekly"]
    items.pop(1)
    target = items[1]
    os.system("tar czf /backups/" + target + ".tgz /srv/data")
    return "started"
