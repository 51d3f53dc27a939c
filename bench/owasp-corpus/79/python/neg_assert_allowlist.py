from flask import Flask, request

app = Flask(__name__)
COLOURS = ("red", "green", "blue")


@app.route("/badge")
def badge():
    colour = request.args.get("colour", "red")
    assert colour in COLOURS
    return "<span class='badge-" + colour + "'>ok</span>"
