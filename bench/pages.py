"""Web pages under gunicorn (production settings), loaded by wrk, as fractions of a bare Flask route.

    .venv/bin/python bench/pages.py [--engine sqlite|postgresql] [--seconds 5]

For each engine: a fresh database with the demo content plus a thousand more learners with progress, the
platform and the ceiling (bench/ceiling.py) under the same gunicorn settings, and wrk from 127.0.0.1 on the
lesson page (signed-in learner), catalogue, course page, dashboard and verification page.
"""

import argparse
import re
import shutil
import subprocess
from datetime import date
from pathlib import Path

from common import Result, app_server, at_least, at_most, create_app_for, database

LEARNERS = 1000
CONNECTIONS = 16
# Page, path, the goal as a fraction of the ceiling (None: reported, with the error and p99 goals only).
PAGES = [("lesson page", "/courses/kiberhigiena/passwords", 0.30), ("catalogue", "/", 0.30),
         ("course page", "/courses/kiberhigiena", None), ("dashboard", "/dashboard", 0.25),
         ("verification page", "/verify/{code}", None)]
# Verification is limited per client address (it stops code guessing): its load comes from many addresses.
MANY_ADDRESSES = Path(__file__).with_name("many_addresses.lua")
P99_FACTOR = 3.0


def seed(url):
    """Demo accounts and courses, the demo learner enrolled with a certificate, many more learners."""
    from app.accounts.demo import load_demo
    from app.accounts.models import find_user_by_email
    from app.certificates import services as certificates
    from app.content.models import Course
    from app.demo import load_demo_cohort, load_demo_courses
    from app.extensions import db
    from app.learning import services as learning

    app = create_app_for(url)
    with app.app_context():
        load_demo()
        load_demo_courses()
        load_demo_cohort()
        courses = db.session.scalars(db.select(Course)).all()
        learner = find_user_by_email("learner@demo.academy")
        for course in courses:
            learning.enrol(learner, course, check_prerequisites=False)
        kiberhigiena = next(c for c in courses if c.slug == "kiberhigiena")
        learning.mark_complete(learner, kiberhigiena, "passwords")
        code = certificates.issue(learner, kiberhigiena, kiberhigiena.current_version, date.today()).code
        _more_learners(db, courses, LEARNERS)
        db.session.commit()
        db.engine.dispose()
    return code


def _more_learners(db, courses, count):
    from app.accounts.models import User
    from app.learning.models import Enrolment, LessonProgress

    users = [User(email=f"bench{n}@example.bg", full_name=f"Учащ {n}", language="bg") for n in range(count)]
    db.session.add_all(users)
    db.session.flush()
    enrolments = [Enrolment(user_id=user.id, course_id=course.id, version_id=course.current_version_id)
                  for n, user in enumerate(users) for course in courses[: 1 + n % 3]]
    db.session.add_all(enrolments)
    db.session.flush()
    db.session.add_all([LessonProgress(enrolment_id=e.id, item_slug="passwords") for e in enrolments[::2]])


def wrk(port, path, seconds, cookie=None, script=None):
    """Run wrk; returns (requests per second, errors, p99 in ms)."""
    command = ["wrk", "-t2", f"-c{CONNECTIONS}", f"-d{seconds}s", "--latency",
               "-H", "X-Forwarded-Proto: https", "-H", "Host: academy.test"]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    if script:
        command += ["-s", str(script)]
    output = subprocess.run([*command, f"http://127.0.0.1:{port}{path}"],  # noqa: S603 (wrk, our arguments)
                            capture_output=True, text=True, check=True).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    errors = sum(int(n) for n in re.findall(r"Non-2xx or 3xx responses: (\d+)", output))
    socket = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    errors += sum(int(n) for n in socket.groups()) if socket else 0
    return rate, errors, _ms(re.search(r"99%\s+([\d.]+)(us|ms|s)", output).groups())


def _ms(match):
    value, unit = match
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def _sign_in(port):
    from tests.servers import Browser

    browser = Browser(port)
    assert browser.sign_in("learner@demo.academy", "learner-demo-2026") == 302
    return "; ".join(f"{name}={value}" for name, value in browser.cookies.items())


def measure(engine, seconds):
    """Results for every page on one engine."""
    results = []
    with database(engine) as url:
        code = seed(url)
        with app_server(url, app_module="bench.ceiling:app") as ceiling_server:
            wrk(ceiling_server.port, "/", 1)  # warm up
            ceiling, _errors, ceiling_p99 = wrk(ceiling_server.port, "/", seconds)
        with app_server(url) as server:
            cookie = _sign_in(server.port)
            for name, path, goal in PAGES:
                path = path.format(code=code)
                script = MANY_ADDRESSES if path.startswith("/verify/") else None
                wrk(server.port, path, 1, cookie, script)  # warm up every worker
                rate, errors, p99 = wrk(server.port, path, seconds, cookie, script)
                label = f"{engine}: {name}"
                ratio = rate / ceiling
                if goal is not None:
                    results.append(at_least(f"{label} / ceiling ({rate:.0f} of {ceiling:.0f} req/s)", ratio, goal))
                else:
                    results.append(Result(f"{label} / ceiling ({rate:.0f} of {ceiling:.0f} req/s)",
                                          f"{ratio:.2f}", "reported", True))
                results.append(at_most(f"{label}: errors", errors, 0))
                results.append(at_most(f"{label}: p99 / ceiling's p99 ({p99:.1f} / {ceiling_p99:.1f} ms)",
                                       p99 / ceiling_p99, P99_FACTOR, "x"))
    return results


def run(engines=("sqlite", "postgresql"), seconds=5):
    """Every page goal on every engine."""
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed; `make bench` installs it (Debian: apt-get install wrk).")
    return [result for engine in engines for result in measure(engine, seconds)]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--engine", choices=("sqlite", "postgresql"), action="append")
    parser.add_argument("--seconds", type=int, default=5)
    options = parser.parse_args()
    for result in run(tuple(options.engine or ("sqlite", "postgresql")), options.seconds):
        print(result.line(), flush=True)


if __name__ == "__main__":
    main()
