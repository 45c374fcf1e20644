"""Backups of the whole database: `flask backup PATH` and `flask restore PATH --yes`.

SQLite is copied with its online backup API (consistent while the app runs; what sits in the WAL is
included) into a single self-contained database file. PostgreSQL is dumped with `pg_dump --format=custom`
and restored with `pg_restore --clean --if-exists --no-owner --single-transaction`, so a failed restore
changes nothing. The password travels to those tools in PGPASSWORD, never on their command line, where any
user of the machine could read it.

A backup says what it is by its first bytes (SQLite's "SQLite format 3" header, pg_dump's "PGDMP"), and a
restore checks that it is a backup of this platform (it has the `alembic_version` table), so a backup of
the other engine, or any other file, is refused before anything is touched.
"""

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

import click
from flask import current_app
from sqlalchemy.engine import URL, make_url

from app.database import SQLITE_BUSY_TIMEOUT_MS
from app.extensions import db

SQLITE_HEADER = b"SQLite format 3\x00"
PG_DUMP_HEADER = b"PGDMP"
ENGINE_NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
A_DATABASE_OF = {"sqlite": "an SQLite database", "postgresql": "a PostgreSQL database"}


class BackupError(Exception):
    """The backup or restore cannot be done; the message says why and what to do."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


def engine_of(url):
    """'sqlite' or 'postgresql' for a SQLAlchemy URL; other engines are refused."""
    name = make_url(url).get_backend_name()
    if name not in ENGINE_NAMES:
        raise BackupError(f"Backups support SQLite and PostgreSQL, not {name}.")
    return name


def kind_of(path):
    """'sqlite' or 'postgresql' for a backup file, by its first bytes; None for anything else."""
    with open(path, "rb") as handle:
        head = handle.read(len(SQLITE_HEADER))
    if head.startswith(SQLITE_HEADER):
        return "sqlite"
    if head.startswith(PG_DUMP_HEADER):
        return "postgresql"
    return None


def backup(url, target):
    """Write a backup of the database at `url` to `target`; returns the engine's name."""
    engine = engine_of(url)
    target = Path(target)
    partial = target.with_name(target.name + ".partial")
    # Written next to the target and renamed at the end: never a half-written file under the final name.
    partial.unlink(missing_ok=True)
    # Personal data and password hashes: readable by the owner only, from the first byte written.
    os.close(os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    try:
        if engine == "sqlite":
            _sqlite_copy(_sqlite_path(url), partial)
        else:
            _run_pg_tool("pg_dump", url, "--format=custom", f"--file={partial}")
        partial.replace(target)
    finally:
        partial.unlink(missing_ok=True)
    return engine


def restore(url, source):
    """Replace every table of the database at `url` with the backup's contents (after checking the file)."""
    engine = check_restorable(url, source)
    if engine == "sqlite":
        _sqlite_copy(Path(source), _sqlite_path(url), source_read_only=True)
    else:
        _run_pg_tool("pg_restore", url, "--clean", "--if-exists", "--no-owner", "--single-transaction",
                     "--exit-on-error", str(source))
    return engine


def check_restorable(url, source):
    """The engine's name if `source` is a backup of this platform for this engine; BackupError otherwise."""
    engine, found = engine_of(url), kind_of(source)
    if found is None:
        raise BackupError(f"{source} is not a backup made by `flask backup` "
                          "(neither an SQLite database nor a pg_dump custom-format archive).")
    if found != engine:
        raise BackupError(f"{source} is a backup of {A_DATABASE_OF[found]}, but this platform runs on "
                          f"{A_DATABASE_OF[engine]}. Restore it into {A_DATABASE_OF[found]} (set DATABASE_URL "
                          "accordingly); nothing was changed.")
    if not (_sqlite_is_academy(source) if engine == "sqlite" else _pg_dump_is_academy(url, source)):
        raise BackupError(f"{source} is not a backup of this platform (it has no alembic_version table, or it is "
                          "damaged); nothing was changed.")
    return engine


def _sqlite_path(url):
    path = make_url(url).database
    if not path or path == ":memory:":
        raise BackupError("An in-memory SQLite database cannot be backed up or restored.")
    return Path(path)


def _sqlite_copy(source, target, source_read_only=False):
    """Copy a whole SQLite database with the online backup API, page by page, under SQLite's own locks."""
    # mode=rw/ro: a missing source is an error, never a new empty database silently copied.
    source_uri = f"{Path(source).resolve().as_uri()}?mode={'ro' if source_read_only else 'rw'}"
    timeout = SQLITE_BUSY_TIMEOUT_MS / 1000
    try:
        reader = sqlite3.connect(source_uri, uri=True, timeout=timeout)
        writer = sqlite3.connect(target, timeout=timeout)
        try:
            reader.backup(writer)
            if not source_read_only:
                # The copy is one self-contained file (no -wal beside it) that can be moved or mailed as it is.
                writer.execute("PRAGMA journal_mode = DELETE")
        finally:
            writer.close()
            reader.close()
    except sqlite3.Error as error:
        raise BackupError(f"SQLite could not copy {source} to {target}: {error}") from None


def _sqlite_is_academy(path):
    try:
        with sqlite3.connect(f"{Path(path).resolve().as_uri()}?mode=ro", uri=True) as conn:
            ok = conn.execute("PRAGMA quick_check").fetchone()[0] == "ok"
            has_version = conn.execute(
                "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'alembic_version'").fetchone()[0]
        conn.close()
    except sqlite3.DatabaseError:
        return False
    return ok and has_version == 1


def _pg_dump_is_academy(url, path):
    listing = _run_pg_tool("pg_restore", None, "--list", str(path), check=False)
    return listing.returncode == 0 and " TABLE public alembic_version " in listing.stdout


def _libpq(url):
    """The libpq URL (no password) and the environment carrying the password for pg_dump/pg_restore."""
    parsed = make_url(url)
    environment = dict(os.environ)
    if parsed.password:
        environment["PGPASSWORD"] = str(parsed.password)
    # URL.set(password=None) would keep the password: build the URL afresh without one.
    plain = URL.create("postgresql", username=parsed.username, host=parsed.host, port=parsed.port,
                       database=parsed.database, query=parsed.query)
    return plain.render_as_string(hide_password=False), environment


def _run_pg_tool(tool, url, *arguments, check=True):
    executable = shutil.which(tool)
    if executable is None:
        raise BackupError(f"{tool} was not found. Install the PostgreSQL client tools "
                          "(Debian: apt-get install postgresql-client), the same major version as the server.")
    command, environment = [executable, *arguments], dict(os.environ)
    if url is not None:
        conninfo, environment = _libpq(url)
        command.append(f"--dbname={conninfo}")
    result = subprocess.run(command, env=environment, capture_output=True, text=True)  # noqa: S603 (no shell)
    if check and result.returncode != 0:
        raise BackupError(f"{tool} failed; nothing was replaced by a partial result:\n{result.stderr.strip()}")
    return result


def _database_url():
    return db.engine.url.render_as_string(hide_password=False)


@click.command("backup")
@click.argument("path", type=click.Path(dir_okay=False))
def backup_command(path):
    """Back up the whole database to PATH, safely while the platform runs (e.g. from cron)."""
    try:
        engine = backup(_database_url(), path)
    except BackupError as error:
        raise click.ClickException(error.message) from None
    click.echo(f"Backed up the {ENGINE_NAMES[engine]} database to {path} ({Path(path).stat().st_size} bytes).")


@click.command("restore")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--yes", is_flag=True, help="Confirm that every table is to be replaced by the backup's contents.")
def restore_command(path, yes):
    """Replace ALL data with the backup in PATH (stop the platform first; needs --yes)."""
    url = _database_url()
    try:
        check_restorable(url, path)
        if not yes:
            raise BackupError("Restoring replaces ALL data in the database with the backup's. "
                              "Stop the platform, then run the command again with --yes.")
        db.session.remove()
        db.engine.dispose()  # our own pooled connections must not hold locks on the tables being replaced
        engine = restore(url, path)
    except BackupError as error:
        raise click.ClickException(error.message) from None
    current_app.logger.info("Database restored from %s", path)
    click.echo(f"Restored the {ENGINE_NAMES[engine]} database from {path}. "
               "Run `flask db upgrade` if the backup is older than this version of the platform.")
