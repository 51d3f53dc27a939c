from flask import Flask, request, session, redirect

app = Flask(__name__)
app.secret_key = b"dev"


@app.route("/prefs", methods=["POST"])
def prefs():
    session["role"] = request.form.get("role", "viewer")
    return redirect("/")
