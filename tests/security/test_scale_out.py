"""Several app servers on one PostgreSQL and one Redis: limits and grading hold across all of them.

Two gunicorn servers (two sync workers each, production settings, behind a simulated reverse proxy
that appends the client's address to X-Forwarded-For) share one PostgreSQL database and one Redis.
"""

import threading

import pytest
from flask_migrate import upgrade

from app import create_app
from app.accounts import services
from app.certificates.models import Certificate
from app.content import importer
from app.content.package import read_folder
from app.extensions import db
from app.learning.models import Completion
from app.quizzes.models import Attempt
from tests.conftest import PASSWORD
from tests.content import packages
from tests.servers import AppServer, Browser, RedisServer

pytestmark = pytest.mark.postgresql_only

QUIZ = """---
title: Check
pass_mark: 100
attempts: 3
---

## HTTPS proves a site is honest. {true-false}
- [ ] True
- [x] False
"""
LESSON = """---
title: Passwords
---

Use a long passphrase.
"""
LEARNERS = 6


def _seed(url, folder):
    """Migrate the shared database and add a one-quiz course and some learners."""
    seed_app = create_app({"ACADEMY_ENV": "testing", "SQLALCHEMY_DATABASE_URI": url})
    with seed_app.app_context():
        upgrade()
        files = packages.files(**{"01-passwords_dot_md": LESSON, "02-phishing_dot_md": None,
                                  "assets__card_dot_svg": None, "03-check_dot_quiz_dot_md": QUIZ})
        importer.import_packages([read_folder(packages.write_folder(folder, contents=files))])
        for number in range(LEARNERS):
            services.create_user(f"learner{number}@example.bg", f"Учащ {number}", PASSWORD)
        services.create_user("victim@example.bg", "Жертва Тестова", PASSWORD)
        db.session.commit()
        db.engine.dispose()
    return seed_app


@pytest.fixture(scope="module")
def cluster(backend, postgres_server, tmp_path_factory):
    """Redis, PostgreSQL and two app servers; yields (seed app, [server A, server B])."""
    url = postgres_server.create_database("scale_out")
    seed_app = _seed(url, tmp_path_factory.mktemp("course"))
    redis = RedisServer().start()
    environment = {
        "ACADEMY_ENV": "production", "SECRET_KEY": "one-secret-for-every-server", "DATABASE_URL": url,
        "RATELIMIT_STORAGE_URI": redis.url, "PROXY_FIX_X_FOR": "1", "MAIL_BACKEND": "outbox",
        "LOGIN_FAILURES_PER_ACCOUNT": "5 per 15 minutes", "LOGIN_FAILURES_PER_ADDRESS": "8 per 15 minutes",
    }
    servers = []
    try:
        for _ in range(2):
            servers.append(AppServer(environment).start())
        yield seed_app, servers
    finally:
        for server in servers:
            server.stop()
        redis.stop()


def _failed_sign_in(server, email, address, spoofed=None):
    browser = Browser(server.port, forwarded_for=address, spoofed=spoofed)
    return browser.sign_in(email, "not the password!")


def test_failed_sign_ins_count_across_servers_and_workers(cluster):
    """ASVS V6.3.1: guessing one password, spread over every server and worker, stops after 5 tries.

    The counters live in the shared Redis, so no server or worker starts from zero.
    """
    _seed_app, servers = cluster
    statuses = [_failed_sign_in(servers[n % 2], "victim@example.bg", f"198.51.100.{n}") for n in range(5)]
    assert statuses == [200] * 5
    for server in servers:
        assert Browser(server.port, forwarded_for="198.51.100.99").sign_in("victim@example.bg", PASSWORD) == 429


def test_spoofed_forwarded_for_does_not_escape_the_address_limit(cluster):
    """ASVS V6.3.1, V13: a client that invents X-Forwarded-For values is still counted by its real address.

    Only the address appended by the trusted proxy (PROXY_FIX_X_FOR=1) counts; another real
    address is not affected.
    """
    _seed_app, servers = cluster
    statuses = [
        _failed_sign_in(servers[n % 2], f"sprayed{n}@example.bg", "203.0.113.66", spoofed=f"10.1.{n}.{n}")
        for n in range(9)
    ]
    assert statuses == [200] * 8 + [429]
    assert _failed_sign_in(servers[0], "sprayed0@example.bg", "203.0.113.67", spoofed="203.0.113.66") == 200


def _start_and_answer(server, number):
    """Sign a learner in on `server`, start the quiz and save the right answer; returns (browser, attempt id)."""
    browser = Browser(server.port, forwarded_for=f"192.0.2.{number + 1}")
    assert browser.sign_in(f"learner{number}@example.bg", PASSWORD) == 302
    status, _headers, text = browser.submit("/courses/cyber-hygiene/passwords/complete", {},
                                            page="/courses/cyber-hygiene/passwords")
    assert status == 302, text[:500]
    status, headers, text = browser.submit("/courses/cyber-hygiene/quiz/check/start", {},
                                           page="/courses/cyber-hygiene/quiz/check")
    assert status == 302, text[:500]
    attempt_id = int(headers["Location"].rsplit("/", 1)[1])
    page = f"/attempts/{attempt_id}"
    status, _headers, text = browser.request("GET", page)
    revision = text.split('name="revision" value="', 1)[1].split('"', 1)[0]
    status, _headers, text = browser.submit(f"{page}/save", {"q0": "false", "revision": revision,
                                                             "action": "check"}, page=page)
    assert status == 302, text[:500]
    return browser, attempt_id


def test_simultaneous_submits_on_both_servers_grade_each_attempt_once(cluster):
    """Every attempt submitted four times at once, twice on each server, is graded exactly once.

    Afterwards each learner has one graded attempt, one course completion and one certificate.
    """
    seed_app, servers = cluster
    started = [_start_and_answer(servers[n % 2], n) for n in range(LEARNERS)]
    barrier = threading.Barrier(4 * LEARNERS)
    statuses = []

    def submit(browser, attempt_id, server):
        twin = Browser(server.port, forwarded_for=browser.forwarded_for)
        twin.cookies = dict(browser.cookies)
        page = f"/attempts/{attempt_id}"
        _status, _headers, text = twin.request("GET", f"{page}/check")
        token = text.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
        barrier.wait(timeout=60)
        statuses.append(twin.request("POST", f"{page}/submit", {"csrf_token": token})[0])

    threads = [threading.Thread(target=submit, args=(browser, attempt_id, servers[copy % 2]))
               for browser, attempt_id in started for copy in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert sorted(set(statuses)) == [302], (statuses, servers[0].output()[-3000:])
    with seed_app.app_context():
        attempts = db.session.scalars(db.select(Attempt)).all()
        assert len(attempts) == LEARNERS
        assert {(a.state, a.passed) for a in attempts} == {("submitted", True)}
        completions = db.session.scalars(db.select(Completion.user_id)).all()
        certificates = db.session.scalars(db.select(Certificate.user_id)).all()
        assert sorted(completions) == sorted(set(completions)) and len(completions) == LEARNERS
        assert sorted(certificates) == sorted(set(certificates)) and len(certificates) == LEARNERS
        db.engine.dispose()
