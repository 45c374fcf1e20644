"""Claim: a database that stops answering mid-session gives a friendly, translated 503 page, and the same
request sent again once the database is back succeeds exactly once."""

import sqlite3
from contextlib import contextmanager

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

from app import database, errors
from app.extensions import db
from app.learning.signals import course_completed
from tests.conftest import _migrated
from tests.helpers import csrf_token_from
from tests.pgserver import PostgresServer
from tests.reliability.steps import outcome, save_right_answers, start_attempt


@pytest.fixture(scope="module")
def own_database(backend, tmp_path_factory):
    """(URL, PostgreSQL server or None): a database of this module's own, so that stopping it stops
    nothing the other tests share."""
    if backend == "sqlite":
        yield _migrated(f"sqlite:///{tmp_path_factory.mktemp('outage') / 'academy.sqlite3'}"), None
        return
    server = PostgresServer().start()
    try:
        yield _migrated(server.create_database("academy_outage")), server
    finally:
        server.stop()


@pytest.fixture
def database_url(own_database):
    """The `app` fixture binds to this module's own database."""
    return own_database[0]


@contextmanager
def database_unavailable(own_database, monkeypatch):
    """PostgreSQL: the server is stopped (connections dropped, new ones refused), then started again.
    SQLite: another process holds the write lock for longer than the busy timeout, then lets go."""
    url, server = own_database
    if server is not None:
        server.halt()
        try:
            yield
        finally:
            server.resume()
        return
    # The lock is real; only the wait is shortened from 10 s so that the test does not sit idle.
    monkeypatch.setattr(database, "SQLITE_BUSY_TIMEOUT_MS", 300)
    db.engine.dispose()  # the pooled connections were opened with the long timeout
    other_writer = sqlite3.connect(make_url(url).database, isolation_level=None)
    other_writer.execute("BEGIN IMMEDIATE")
    try:
        yield
    finally:
        other_writer.rollback()
        other_writer.close()


def test_submit_while_the_database_is_down_gets_a_503_and_the_retry_grades_once(
        app, client, learner, own_database, monkeypatch):
    """Fault: the database stops (PostgreSQL) or stays locked by another writer (SQLite) while a signed-in
    learner submits a quiz (ASVS V16.5 error handling: fail securely, no internals shown). Expected: a 503
    page in the learner's language with Retry-After and a way forward, nothing graded; the same POST once the
    database is back grades the attempt once, completes the course once and issues one certificate."""
    attempt_id = start_attempt(client)
    save_right_answers(client, attempt_id)
    url = f"/attempts/{attempt_id}/submit"
    form = {"csrf_token": csrf_token_from(client.get(f"/attempts/{attempt_id}/check").get_data(as_text=True))}

    with database_unavailable(own_database, monkeypatch):
        response = client.post(url, data=form, headers={"Accept-Language": "bg"})
        page = response.get_data(as_text=True)
        assert response.status_code == 503 and response.headers["Retry-After"] == "30"
        assert "Услугата е временно недостъпна" in page and "нямаме връзка с базата данни" in page
        assert 'lang="bg"' in page
        assert "Traceback" not in page and "psycopg" not in page and "sqlite" not in page.lower()
        assert 'href="/"' in page  # a way forward: the list of courses

    retry = client.post(url, data=form)
    assert retry.status_code == 302 and retry.headers["Location"].endswith(f"/attempts/{attempt_id}/review")
    assert outcome(learner.id) == {"states": ["submitted"], "scores": [100.0], "answers": [{"0": 1}],
                                   "completions": 1, "certificates": 1}



@pytest.mark.postgresql_only
def test_server_stopping_inside_the_submit_transaction_loses_nothing_and_grades_once(
        app, client, learner, own_database):
    """Fault: PostgreSQL shuts down while the submit's transaction is open — the attempt graded and the course
    completed but not yet committed (ASVS V16.5 error handling). Expected: a 503 page, nothing of that
    transaction kept; once the server is back the same POST grades once, completes once, certifies once."""
    _url, server = own_database
    attempt_id = start_attempt(client)
    save_right_answers(client, attempt_id)
    url = f"/attempts/{attempt_id}/submit"
    form = {"csrf_token": csrf_token_from(client.get(f"/attempts/{attempt_id}/check").get_data(as_text=True))}

    def stop_the_server(sender, **extra):
        server.halt()  # pg_ctl waits until our own connection has been cut as well

    course_completed.connect(stop_the_server)
    try:
        response = client.post(url, data=form)
    finally:
        course_completed.disconnect(stop_the_server)
        server.resume()
    assert response.status_code == 503 and "We could not reach our database" in response.get_data(as_text=True)
    assert outcome(learner.id)["states"] == ["in_progress"]

    retry = client.post(url, data=form)
    assert retry.status_code == 302
    assert outcome(learner.id) == {"states": ["submitted"], "scores": [100.0], "answers": [{"0": 1}],
                                   "completions": 1, "certificates": 1}


@pytest.mark.postgresql_only
def test_api_answers_a_json_503_while_the_server_is_down(app, client, own_database, monkeypatch):
    """Fault: the PostgreSQL server is stopped while a client system calls the JSON API (ASVS V16.5).
    Expected: a JSON 503 with Retry-After that a machine can act on (no HTML, no internals); 200 once back."""
    url = "/api/v1/certificates/7Q2K-9XRT-4M1B-ZC8D-W5NE"
    with database_unavailable(own_database, monkeypatch):
        response = client.get(url)
    assert response.status_code == 503 and response.headers["Retry-After"] == "30"
    assert response.get_json() == {"error": {"status": 503, "message": errors.API_MESSAGES[503]}}
    assert client.get(url).status_code == 404  # back: an unknown code is simply not found

def test_a_broken_query_is_not_mistaken_for_an_outage(app):
    """Fault: a query with a mistake in it (a bug, not an outage). Expected: it is not classed as "database
    unavailable", so it stays a 500 that is logged and fixed instead of a 503 that invites retries."""
    with pytest.raises(DBAPIError) as caught:
        db.session.execute(text("SELECT no_such_column FROM no_such_table"))
    db.session.rollback()
    assert not errors.database_unavailable(caught.value)
