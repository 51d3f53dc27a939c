from flask import Flask, request, redirect
import os, subprocess, sqlite3, pickle, yaml, requests

app = Flask(__name__)

@app.route('/done')
def done():
    return redirect(request.args.get('next', '/'))
