"""The framework's ceiling: a Flask app whose one endpoint answers "ok"."""

from flask import Flask

app = Flask(__name__)


@app.get("/ok")
def ok() -> str:
    return "ok"
