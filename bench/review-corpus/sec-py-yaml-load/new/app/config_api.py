from flask import Flask, request, redirect
import os, subprocess, sqlite3, pickle, yaml, requests

app = Flask(__name__)

@app.route('/import', methods=['POST'])
def import_config():
    cfg = yaml.load(request.data, Loader=yaml.Loader)
    return {'keys': len(cfg)}
