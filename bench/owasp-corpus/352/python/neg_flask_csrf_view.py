from flask import Flask, request
from flask_wtf.csrf import CSRFProtect

app = Flask(__name__)
csrf = CSRFProtect(app)


@app.route("/account/delete", methods=["POST"])
def delete_account():
    user_id = request.form["id"]
    return {"deleted": user_id}
