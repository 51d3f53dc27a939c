from lxml import etree
from flask import Flask, request

app = Flask(__name__)
TREE = etree.parse("users.xml")


@app.route("/user")
def user():
    name = request.args.get("name")
    nodes = TREE.xpath("//user[name/text()='" + name + "']/email/text()")
    return {"emails": [str(n) for n in nodes]}
