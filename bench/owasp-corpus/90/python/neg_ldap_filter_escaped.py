import ldap
from ldap.filter import escape_filter_chars
from flask import Flask, request

app = Flask(__name__)
conn = ldap.initialize("ldap://ldap.corp.example")


@app.route("/directory")
def directory():
    user = escape_filter_chars(request.args.get("user"))
    flt = "(&(objectClass=person)(uid=" + user + "))"
    results = conn.search_s("ou=people,dc=corp,dc=example", ldap.SCOPE_SUBTREE, flt, ["cn", "mail"])
    return {"count": len(results)}
