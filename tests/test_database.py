"""The schema: migrations match the models, and SQLite is tuned for concurrent use."""

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import text

from app.extensions import db
from tests.helpers import submit


def test_migrations_match_models(app):
    """An empty database upgraded to head has exactly the tables and columns the models declare."""
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, db.metadata)
    assert differences == []


def test_head_revision_is_applied(app):
    """The test database is at the newest migration, so tests exercise the real schema."""
    from alembic.script import ScriptDirectory
    from flask_migrate import Config as MigrateConfig

    config = MigrateConfig(str(app.extensions["migrate"].directory) + "/alembic.ini")
    config.set_main_option("script_location", app.extensions["migrate"].directory)
    heads = ScriptDirectory.from_config(config).get_heads()
    current = db.session.execute(text("SELECT version_num FROM alembic_version")).scalar_one()
    assert [current] == heads


@pytest.mark.sqlite_only
def test_sqlite_uses_wal_and_busy_timeout(app):
    """SQLite runs in WAL mode with a busy timeout and foreign keys, so readers never block writers."""
    assert db.session.execute(text("PRAGMA journal_mode")).scalar_one() == "wal"
    assert db.session.execute(text("PRAGMA busy_timeout")).scalar_one() >= 5000
    assert db.session.execute(text("PRAGMA foreign_keys")).scalar_one() == 1


@pytest.mark.sqlite_only
def test_sqlite_write_requests_take_the_write_lock_first(app, client, make_user):
    """A POST begins with BEGIN IMMEDIATE so concurrent writers queue instead of failing."""
    statements = []

    def remember(conn, cursor, statement, *args):
        statements.append(statement)

    from sqlalchemy import event

    make_user(email="writer@example.bg")
    event.listen(db.engine, "before_cursor_execute", remember)
    try:
        submit(client, "/account/login", {"email": "writer@example.bg", "password": "wrong password!"})
    finally:
        event.remove(db.engine, "before_cursor_execute", remember)
    assert "BEGIN IMMEDIATE" in statements


@pytest.mark.sqlite_only
def test_sign_in_does_not_hold_the_write_lock_while_checking_the_password(app, client, make_user, monkeypatch):
    """Checking a password takes a quarter of a second by design; other sign-ins and saves on SQLite
    must not wait for it (a morning's sign-ins would otherwise queue one by one)."""
    import sqlite3

    from app.accounts import services

    user = make_user(email="writer@example.bg")
    path = db.engine.url.database
    real_verify, seen = services.verify_password, []

    def verify_while_another_writer_writes(password_hash, password):
        other = sqlite3.connect(path, timeout=0, isolation_level=None)
        try:
            other.execute("BEGIN IMMEDIATE")  # fails at once with "database is locked" if the lock is held
            other.execute("ROLLBACK")
            seen.append("free")
        finally:
            other.close()
        return real_verify(password_hash, password)

    monkeypatch.setattr(services, "verify_password", verify_while_another_writer_writes)
    response = submit(client, "/account/login", {"email": user.email, "password": "correct horse battery"})
    assert seen == ["free"] and response.status_code == 302
