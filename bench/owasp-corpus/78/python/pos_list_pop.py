import os
from flask import Flask, request

app = Flask(__name__)


@app.route("/backup")
def backup():
    items = ["daily", request.args.get("label"), "weekly"]
    items.pop(0)
    target = items[0]
    os.system("tar czf /backups/" + target + ".tgz /srv/data")
    return "started"
