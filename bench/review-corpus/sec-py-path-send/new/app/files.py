from flask import Flask, request, redirect
import os, subprocess, sqlite3, pickle, yaml, requests

app = Flask(__name__)

@app.route('/files')
def files():
    name = request.args.get('name', 'index.txt')
    with open(os.path.join('/srv/files', name)) as f:
        return f.read()
