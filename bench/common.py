"""Shared parts of the benchmarks: goals as ratios against ceilings measured in the same run, and
the real servers they load (gunicorn with production settings, a throwaway PostgreSQL)."""

import contextlib
import shutil
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

PASSWORD = "bench passphrase 2027"  # noqa: S105 (throwaway accounts in a throwaway database)
SECRET = "bench-secret-key-" + "x" * 40
GUNICORN_WORKERS = 4  # docs/operations.md: two sync workers per core


@dataclass
class Result:
    """One goal of issue #10: what was measured, the goal, and whether it holds."""

    name: str
    measured: str
    goal: str
    holds: bool

    def line(self):
        """The line `make bench` prints."""
        return f"{'HOLDS ' if self.holds else 'MISSES'}  {self.name}: {self.measured}  (goal: {self.goal})"


def at_least(name, value, minimum, unit=""):
    """A goal met when `value` >= `minimum` (ratios: two decimals)."""
    return Result(name, f"{value:.2f}{unit}", f">= {minimum:.2f}{unit}", value >= minimum)


def at_most(name, value, maximum, unit=""):
    """A goal met when `value` <= `maximum`."""
    return Result(name, f"{value:.2f}{unit}", f"<= {maximum:.2f}{unit}", value <= maximum)


def create_app_for(url):
    """An app (test configuration: cheap password hashes for seeding) bound to `url`."""
    from app import create_app

    return create_app({"ACADEMY_ENV": "testing", "SQLALCHEMY_DATABASE_URI": url})


def migrate(url):
    """Upgrade the database at `url` to the head revision."""
    from flask_migrate import upgrade

    from app.extensions import db

    app = create_app_for(url)
    with app.app_context():
        upgrade()
        db.engine.dispose()
    return app


@contextlib.contextmanager
def database(engine):
    """A fresh, migrated database on `engine` ("sqlite" or "postgresql"); yields its URL."""
    if engine == "sqlite":
        folder = Path(tempfile.mkdtemp(prefix="academy-bench-"))
        try:
            url = f"sqlite:///{folder / 'academy.sqlite3'}"
            migrate(url)
            yield url
        finally:
            shutil.rmtree(folder, ignore_errors=True)
        return
    from tests.pgserver import PostgresServer

    server = PostgresServer().start()
    try:
        url = server.create_database("bench")
        migrate(url)
        yield url
    finally:
        server.stop()


def production_environment(url, **extra):
    """The environment of an app server with production settings on `url`."""
    return {"ACADEMY_ENV": "production", "SECRET_KEY": SECRET, "DATABASE_URL": url, "MAIL_BACKEND": "outbox",
            "PROXY_FIX_X_FOR": "1", **extra}


@contextlib.contextmanager
def app_server(url, workers=GUNICORN_WORKERS, app_module="wsgi:app", **extra):
    """gunicorn (sync workers) serving `app_module` with production settings on `url`; yields the server."""
    from tests.servers import AppServer

    server = AppServer(production_environment(url, **extra), workers=workers, app_module=app_module).start()
    try:
        yield server
    finally:
        server.stop()
