import psycopg2
from flask import Flask, request

app = Flask(__name__)
conn = psycopg2.connect(dbname="shop")


@app.post("/orders/lookup")
def lookup():
    params = {"status": "open", "ref": request.form["ref"]}
    sql = "SELECT * FROM orders WHERE ref = '%s' AND status = 'open'" % params["ref"]
    with conn.cursor() as cur:
        cur.execute(sql)
        return {"orders": cur.fetchall()}
