"""Fixtures: every database test runs on SQLite and on a real PostgreSQL started here."""


import pytest
from flask.testing import FlaskClient
from flask_babel import force_locale
from flask_migrate import upgrade
from sqlalchemy import text

from app import create_app
from app.accounts import services
from app.accounts.models import Organisation
from app.extensions import db, limiter
from tests.helpers import submit
from tests.pgserver import PostgresServer
from tests.smtp_sink import SmtpSink

BACKENDS = ("sqlite", "postgresql")
PASSWORD = "correct horse battery"


def pytest_collection_modifyitems(config, items):
    """Honour the sqlite_only / postgresql_only markers."""
    keep, drop = [], []
    for item in items:
        backend = getattr(item, "callspec", None) and item.callspec.params.get("backend")
        if backend and item.get_closest_marker(f"{'postgresql' if backend == 'sqlite' else 'sqlite'}_only"):
            drop.append(item)
        else:
            keep.append(item)
    if drop:
        config.hook.pytest_deselected(items=drop)
        items[:] = keep


@pytest.fixture(scope="session")
def postgres_server():
    """One throwaway PostgreSQL cluster for the whole run (never skipped: a failure is an error)."""
    server = PostgresServer().start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def smtp_server():
    """A real SMTP server on 127.0.0.1."""
    sink = SmtpSink().start()
    yield sink
    sink.stop()


def _migrated(url):
    app = create_app({"SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        upgrade()
        db.engine.dispose()
    return url


@pytest.fixture(scope="session", params=BACKENDS)
def backend(request):
    """The name of the database engine under test."""
    return request.param


@pytest.fixture(scope="session")
def database_url(backend, request, tmp_path_factory):
    """A database upgraded to the head migration, on the backend under test."""
    if backend == "sqlite":
        return _migrated(f"sqlite:///{tmp_path_factory.mktemp('sqlite') / 'academy.sqlite3'}")
    server = request.getfixturevalue("postgres_server")
    return _migrated(server.create_database("academy_test"))


def _empty_all_tables():
    tables = [t.name for t in reversed(db.metadata.sorted_tables)]
    if db.engine.dialect.name == "postgresql":
        db.session.execute(text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))
    else:
        for table in tables:
            db.session.execute(text(f"DELETE FROM {table}"))  # noqa: S608 (names from our metadata)
    db.session.commit()


@pytest.fixture
def app_config(smtp_server, tmp_path):
    """Per-test config overrides; tests may change it before `app` is built."""
    return {
        "ACADEMY_ENV": "testing",
        "MAIL_PORT": smtp_server.port,
        "MAIL_OUTBOX": str(tmp_path / "outbox"),
    }


class IsolatedClient(FlaskClient):
    """A test client whose every request gets a fresh app context, as in production.

    The test body holds an app context of its own; without this, Flask would reuse it
    for requests, sharing `g` (and the signed-in user) and the database session.
    """

    def open(self, *args, **kwargs):
        headers = kwargs.setdefault("headers", {})
        if not any(key.lower() == "accept-language" for key in headers):
            headers["Accept-Language"] = "en"  # tests read English unless they ask for Bulgarian
        # End the test body's transaction first: like a second person at another desk,
        # it must not hold an old snapshot (or a lock) while the request runs.
        db.session.commit()
        with self.application.app_context():
            return super().open(*args, **kwargs)


@pytest.fixture
def app(database_url, app_config):
    """The app bound to the test database, emptied after each test."""
    app = create_app({**app_config, "SQLALCHEMY_DATABASE_URI": database_url})
    app.test_client_class = IsolatedClient
    with app.app_context():
        limiter.reset()
        yield app
        db.session.rollback()
        _empty_all_tables()
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def client(app):
    """A test client (no JavaScript, cookies kept)."""
    return app.test_client()


@pytest.fixture
def runner(app):
    """A CLI runner for `flask ...` commands."""
    return app.test_cli_runner()


@pytest.fixture
def outbox(smtp_server):
    """E-mails received by the SMTP sink during this test."""
    smtp_server.messages.clear()
    return smtp_server.messages


@pytest.fixture
def organisation(app):
    """A municipality."""
    org = Organisation(name="Община Пловдив", kind="municipality", country="BG")
    db.session.add(org)
    db.session.commit()
    return org


@pytest.fixture
def make_user(app):
    """Factory: make_user(role="learner", email=None, password=PASSWORD, **fields)."""
    counter = iter(range(1, 10_000))

    def make(role="learner", email=None, password=PASSWORD, full_name=None, **fields):
        number = next(counter)
        user = services.create_user(
            email or f"{role}{number}@example.bg", full_name or f"Тест Потребител {number}",
            password, role=role, **fields,
        )
        db.session.commit()
        return user

    return make


@pytest.fixture
def login(client):
    """Sign a user in through the real form: login(user, password=PASSWORD)."""

    def do_login(user, password=PASSWORD, remember=False):
        data = {"email": user.email, "password": password}
        if remember:
            data["remember"] = "y"
        response = submit(client, "/account/login", data)
        assert response.status_code == 302, response.get_data(as_text=True)
        return response

    return do_login


@pytest.fixture(autouse=True)
def _no_inherited_environment(monkeypatch):
    """Tests never see a developer's DATABASE_URL or SECRET_KEY."""
    for name in ("DATABASE_URL", "SECRET_KEY", "ACADEMY_ENV"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture(scope="session")
def bare_app():
    """An app without a database, for tests of pure functions that need an app context."""
    app = create_app({"ACADEMY_ENV": "testing", "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    with app.app_context(), force_locale("en"):  # messages read in English unless a test asks
        yield app
