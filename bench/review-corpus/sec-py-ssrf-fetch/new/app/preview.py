from flask import Flask, request, redirect
import os, subprocess, sqlite3, pickle, yaml, requests

app = Flask(__name__)

@app.route('/preview')
def preview():
    url = request.args.get('url', '')
    return requests.get(url, timeout=5).content
