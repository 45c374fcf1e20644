"""The ceilings for the benchmarks: what the machine, gunicorn and Flask can do at best.

Served by the same gunicorn settings as the platform (`gunicorn bench.ceiling:app`):
- `GET /` is a bare route returning a small page (no database, no template), for the page benchmarks;
- `POST /insert` adds one row in one transaction to the database in DATABASE_URL, through the same
  engine settings as the platform (SQLite: WAL, busy timeout, BEGIN IMMEDIATE for a POST), for the
  answer-save benchmark.
"""

import os

from flask import Flask
from sqlalchemy import create_engine, text

from app import database as platform_database  # noqa: F401  (engine settings: SQLite pragmas, BEGIN IMMEDIATE)
from config import Config

app = Flask(__name__)
PAGE = ("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Ceiling</title></head>"
        "<body><main><h1>Ceiling</h1><p>A small page with no database and no template.</p></main></body></html>")
_engine = None


def _database():
    global _engine
    if _engine is None:
        url = os.environ["DATABASE_URL"].replace("postgresql://", "postgresql+psycopg://", 1)
        _engine = create_engine(url, **Config.SQLALCHEMY_ENGINE_OPTIONS)
        key = "SERIAL PRIMARY KEY" if _engine.dialect.name == "postgresql" else "INTEGER PRIMARY KEY"
        with _engine.begin() as connection:
            connection.execute(text(f"CREATE TABLE IF NOT EXISTS bench_rows (id {key}, value TEXT)"))
    return _engine


@app.route("/")
def index():
    """The small page."""
    return PAGE


@app.route("/insert", methods=["POST"])
def insert():
    """One row, one transaction."""
    with _database().begin() as connection:
        connection.execute(text("INSERT INTO bench_rows (value) VALUES (:value)"), {"value": "answer"})
    return {"saved": True}
