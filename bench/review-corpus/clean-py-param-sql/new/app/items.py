from flask import Flask, request, redirect
import os, subprocess, sqlite3, pickle, yaml, requests

app = Flask(__name__)

@app.route('/items')
def items():
    q = request.args.get('q', '')
    db = sqlite3.connect('app.db')
    try:
        rows = db.execute('SELECT id FROM items WHERE name LIKE ?', ('%' + q + '%',)).fetchall()
    finally:
        db.close()
    return {'ids': [r[0] for r in rows]}
