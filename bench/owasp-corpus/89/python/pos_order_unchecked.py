import sqlite3
from flask import Flask, request, abort

app = Flask(__name__)
SORTABLE = ("name", "created", "price")


@app.route("/products")
def products():
    order = request.args.get("order", "name")
    if not order:
        abort(400)
    db = sqlite3.connect("shop.db")
    cur = db.execute("SELECT id, name, price FROM products ORDER BY " + order)
    return {"products": cur.fetchall()}
