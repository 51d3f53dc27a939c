import ldap
from flask import Flask, request

app = Flask(__name__)
conn = ldap.initialize("ldap://ldap.corp.example")


@app.route("/directory")
def directory():
    user = request.args.get("user")
    flt = "(&(objectClass=person)(uid=" + user + "))"
    results = conn.search_s("ou=people,dc=corp,dc=example", ldap.SCOPE_SUBTREE, flt, ["cn", "mail"])
    return {"count": len(results)}
