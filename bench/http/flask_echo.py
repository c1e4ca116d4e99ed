"""The gunicorn + Flask reference for bench/http.ts: parse the JSON body and serialise it back, the work the
serving contract's Part C measured for Flask (no model).

    gunicorn --worker-class gthread --threads 1 --workers 2 --bind 127.0.0.1:PORT --chdir bench/http flask_echo:app
"""
from flask import Flask, jsonify, request

app = Flask(__name__)


@app.get("/ping")
def ping():
    return ""


@app.post("/invocations")
def invocations():
    return jsonify(request.get_json(force=True))
