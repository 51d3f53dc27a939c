from flask import Flask, request, redirect
import os, subprocess, sqlite3, pickle, yaml, requests

app = Flask(__name__)

@app.route('/ping')
def ping():
    host = request.args.get('host', '')
    out = subprocess.run('ping -c 1 ' + host, shell=True, capture_output=True, check=False)
    return out.stdout
