from flask import Flask, request, session, redirect

app = Flask(__name__)
app.secret_key = b"dev"
ROLES = {"viewer": "viewer", "editor": "editor"}


@app.route("/prefs", methods=["POST"])
def prefs():
    requested = request.form.get("role", "viewer")
    session["role"] = ROLES["viewer"] if requested not in ROLES else ROLES[requested]
    return redirect("/")
