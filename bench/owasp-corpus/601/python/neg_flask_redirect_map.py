from flask import Flask, request, redirect

app = Flask(__name__)
DESTINATIONS = {"home": "/", "billing": "/account/billing", "docs": "https://docs.example.com"}


@app.route("/go")
def go():
    key = request.args.get("to", "home")
    return redirect(DESTINATIONS.get(key, "/"))
