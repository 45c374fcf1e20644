"""Answer saves under load, as a fraction of a one-row insert served the same way (issue #10, item 3).

    .venv/bin/python bench/writes.py [--engine sqlite|postgresql] [--seconds 5] [--clients 8]

For each engine: the ceiling (`POST /insert` of bench/ceiling.py: one row, one transaction, the
platform's engine settings) and the platform's autosave (`POST /attempts/<id>/save` as the quiz page's
script sends it) under the same gunicorn settings, each loaded by the same client threads for the same
time. Afterwards every attempt's revision must equal the saves its learner saw succeed.
"""

import argparse
import http.client
import json
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import exam
from bench.common import PASSWORD, Result, app_server, at_least, at_most, create_app_for, database
from tests.helpers import csrf_token_from
from tests.servers import Browser

CLIENTS = 8
HEADERS = {"X-Forwarded-Proto": "https", "Host": "academy.test", "Referer": "https://academy.test/",
           "Content-Type": "application/x-www-form-urlencoded", "X-Requested-With": "fetch"}


class Client(threading.Thread):
    """Posts `body()` to `path()` on one kept-alive connection until `deadline`; counts the outcomes."""

    def __init__(self, port, deadline, path, body, cookies="", on_answer=None):
        super().__init__()
        self.port, self.deadline, self.path, self.body = port, deadline, path, body
        self.headers = {**HEADERS, "Cookie": cookies}
        self.on_answer = on_answer
        self.done, self.errors = 0, []

    def run(self):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        try:
            while time.perf_counter() < self.deadline:
                connection.request("POST", self.path(), body=self.body(), headers=self.headers)
                response = connection.getresponse()
                answer = response.read()
                if response.status != 200:
                    self.errors.append(f"{response.status}: {answer[:200]!r}")
                    continue
                self.done += 1
                if self.on_answer:
                    self.on_answer(answer)
        finally:
            connection.close()


def _load(clients, seconds):
    for client in clients:
        client.start()
    for client in clients:
        client.join()
    done = sum(client.done for client in clients)
    return done / seconds, [error for client in clients for error in client.errors]


def ceiling(url, seconds, count):
    """Rows inserted per second by `count` clients through bench/ceiling.py."""
    with app_server(url, app_module="bench.ceiling:app") as server:
        _load([Client(server.port, time.perf_counter() + 1, lambda: "/insert", lambda: "")], 1)  # warm up
        deadline = time.perf_counter() + seconds
        return _load([Client(server.port, deadline, lambda: "/insert", lambda: "") for _ in range(count)], seconds)


class Saver:
    """One learner's attempt: the fields of the page and the revision the last save returned."""

    def __init__(self, port, number):
        browser = Browser(port, forwarded_for=f"10.9.{number}.1")
        _status, _headers, page = browser.request("GET", "/account/login")
        browser.request("POST", "/account/login", {"email": exam.email(number), "password": PASSWORD,
                                                   "csrf_token": csrf_token_from(page)})
        _status, _headers, page = browser.request("GET", exam.QUIZ_PATH)
        headers = browser.request("POST", f"{exam.QUIZ_PATH}/start", {"csrf_token": csrf_token_from(page)})[1]
        self.attempt = "/attempts/" + headers["Location"].rsplit("/attempts/", 1)[1]
        _status, _headers, page = browser.request("GET", self.attempt)
        self.revision = int(exam.field(page, "revision"))
        fields = [pair for question in exam.answers(page, exam.new_rng(number), 1.0) for pair in question]
        self.fields = [*fields, ("csrf_token", exam.field(page, "csrf_token"))]
        self.cookies = "; ".join(f"{name}={value}" for name, value in browser.cookies.items())
        self.saves = 0

    def body(self):
        return urlencode([*self.fields, ("revision", str(self.revision))])

    def saved(self, answer):
        self.revision = json.loads(answer)["revision"]
        self.saves += 1


def saves(url, seconds, count):
    """Answer saves per second by `count` learners, and the attempts' revisions afterwards."""
    with app_server(url) as server:
        savers = [Saver(server.port, number) for number in range(count)]
        start_revisions = [saver.revision for saver in savers]
        deadline = time.perf_counter() + seconds
        clients = [Client(server.port, deadline, lambda s=saver: f"{s.attempt}/save", saver.body, saver.cookies,
                          saver.saved) for saver in savers]
        rate, errors = _load(clients, seconds)
    return rate, errors, savers, start_revisions


def _revisions_match(url, savers, start_revisions):
    from app.extensions import db
    from app.quizzes.models import Attempt

    app = create_app_for(url)
    with app.app_context():
        stored = {a.id: a.revision for a in db.session.scalars(db.select(Attempt))}
        db.engine.dispose()
    return all(stored[int(saver.attempt.rsplit("/", 1)[1])] == start + saver.saves
               for saver, start in zip(savers, start_revisions, strict=True))


def measure(engine, seconds, count):
    """The write goals on one engine."""
    with database(engine) as url:
        exam.seed(url, count)
        insert_rate, insert_errors = ceiling(url, seconds, count)
        save_rate, save_errors, savers, start_revisions = saves(url, seconds, count)
        consistent = _revisions_match(url, savers, start_revisions)
    name = f"{engine}: answer saves / one-row inserts ({save_rate:.0f} of {insert_rate:.0f} a second)"
    return [at_least(name, save_rate / insert_rate, 0.5),
            at_most(f"{engine}: failed saves or inserts ('database is locked' included)",
                    len(save_errors) + len(insert_errors), 0),
            Result(f"{engine}: every attempt's revision equals the saves its learner saw",
                   "yes" if consistent else "no", "yes", consistent)]


def run(engines=("sqlite", "postgresql"), seconds=5, clients=CLIENTS):
    """Every write goal on every engine."""
    return [result for engine in engines for result in measure(engine, seconds, clients)]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--engine", choices=("sqlite", "postgresql"), action="append")
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--clients", type=int, default=CLIENTS)
    options = parser.parse_args()
    for result in run(tuple(options.engine or ("sqlite", "postgresql")), options.seconds, options.clients):
        print(result.line(), flush=True)


if __name__ == "__main__":
    main()
