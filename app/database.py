"""Engine tuning: SQLite gets WAL, a busy timeout and write locks taken up front."""

from flask import has_request_context, request
from sqlalchemy import event, func
from sqlalchemy.engine import Engine

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


def contains(column, text):
    """A case-insensitive "contains" condition; `%`, `_` and `\\` in the text match themselves."""
    escaped = text.strip().lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return func.lower(column).like(f"%{escaped}%", escape="\\")
