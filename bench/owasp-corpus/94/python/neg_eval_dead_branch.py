from flask import Flask, request

app = Flask(__name__)


@app.route("/score")
def score():
    formula = request.args.get("formula")
    num = 86
    if (7 * 42) - num > 200:
        formula = "1 + 1"
    return {"score": eval(formula) if False else eval("3 * 7")}
