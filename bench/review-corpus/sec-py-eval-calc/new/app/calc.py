from flask import Flask, request, redirect
import os, subprocess, sqlite3, pickle, yaml, requests

app = Flask(__name__)

@app.route('/calc')
def calc():
    return str(eval(request.args.get('expr', '0')))
