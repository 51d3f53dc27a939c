from flask import Flask, request, redirect
import os, subprocess, sqlite3, pickle, yaml, requests

app = Flask(__name__)

import base64

@app.route('/prefs')
def prefs():
    data = pickle.loads(base64.b64decode(request.cookies.get('prefs', '')))
    return {'theme': data.get('theme')}
