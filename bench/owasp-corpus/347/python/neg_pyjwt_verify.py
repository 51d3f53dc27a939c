import jwt
from flask import Flask, request, abort

app = Flask(__name__)
SECRET = "loaded-from-vault"


@app.route("/me")
def me():
    token = request.headers.get("Authorization", "").removeprefix("Bearer ")
    try:
        claims = jwt.decode(token, SECRET, algorithms=["HS256"], options={"verify_exp": True})
    except jwt.InvalidTokenError:
        abort(401)
    return {"user": claims["sub"]}
