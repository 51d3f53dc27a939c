from flask import Flask, request, render_template_string
from markupsafe import Markup, escape

app = Flask(__name__)


@app.route("/comment", methods=["POST"])
def comment():
    text = request.form["text"]
    return render_template_string("<div>{{ c }}</div>", c=Markup(escape(text)))
