"""The ceiling for page benchmarks: a bare Flask route returning a small page, nothing else.

Served by the same gunicorn settings as the platform (`gunicorn bench.ceiling:app`), it measures what
the machine, gunicorn and Flask can do at best; each page is reported as a fraction of it.
"""

from flask import Flask

app = Flask(__name__)
PAGE = ("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Ceiling</title></head>"
        "<body><main><h1>Ceiling</h1><p>A small page with no database and no template.</p></main></body></html>")


@app.route("/")
def index():
    """The small page."""
    return PAGE
