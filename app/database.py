"""Engine tuning: SQLite gets WAL, a busy timeout and write locks taken up front."""

from flask import has_request_context, request
from sqlalchemy import event, func
from sqlalchemy.engine import Engine

from app.extensions import db

WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
SQLITE_BUSY_TIMEOUT_MS = 10_000


@event.listens_for(Engine, "connect")
def _configure_sqlite(dbapi_connection, connection_record):
    """Turn on WAL, foreign keys and a busy timeout; let SQLAlchemy emit BEGIN itself."""
    if type(dbapi_connection).__module__ != "sqlite3":
        return
    # pysqlite's own transaction handling defers BEGIN in ways that break
    # SAVEPOINTs and BEGIN IMMEDIATE; take it over (SQLAlchemy's documented recipe).
    dbapi_connection.isolation_level = None
    # SQLite's lower() folds only ASCII; searches must match "Мария" when staff type "мария".
    dbapi_connection.create_function("lower", 1, _unicode_lower, deterministic=True)
    cursor = dbapi_connection.cursor()
    cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA foreign_keys = ON")
    mode = cursor.execute("PRAGMA journal_mode").fetchone()[0]
    if mode != "memory":
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = NORMAL")
    cursor.close()


def _unicode_lower(value):
    return value.lower() if isinstance(value, str) else value


@event.listens_for(Engine, "begin")
def _begin_sqlite(conn):
    """Start SQLite transactions; requests that write take the write lock first.

    A deferred transaction that reads and then writes fails at once with
    "database is locked" when another writer committed in between, and the busy
    timeout cannot help. Taking the lock at BEGIN makes writers queue instead.
    """
    if conn.dialect.name != "sqlite":
        return
    immediate = has_request_context() and request.method in WRITE_METHODS
    conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def release_write_lock():
    """End the current transaction, which must not have changed anything, before slow work.

    On SQLite a POST takes the write lock at its first query (BEGIN IMMEDIATE); a sign-in that then
    spends a quarter of a second checking a password would make every other writer wait. After this the
    next query opens a new transaction; objects already loaded are read again when next used.
    """
    session = db.session()
    if session.new or session.dirty or session.deleted:
        raise RuntimeError("release_write_lock() would discard unsaved changes")
    session.rollback()


def contains(column, text):
    """A case-insensitive "contains" condition; `%`, `_` and `\\` in the text match themselves."""
    escaped = text.strip().lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return func.lower(column).like(f"%{escaped}%", escape="\\")
