from flask import Flask, request, redirect
import os, subprocess, sqlite3, pickle, yaml, requests

app = Flask(__name__)

@app.route('/users')
def users():
    name = request.args.get('name', '')
    db = sqlite3.connect('app.db')
    try:
        rows = db.execute("SELECT id FROM users WHERE name = '%s'" % name).fetchall()
    finally:
        db.close()
    return {'ids': [r[0] for r in rows]}
