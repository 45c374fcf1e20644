"""Exam-start spike (issue #10, item 2): learners sign in, start one quiz within 5 seconds, save and submit.

    .venv/bin/python bench/spike.py [--learners 500] [--engine sqlite|postgresql] [--find-max]

Each learner is a thread with its own cookie-keeping browser (tests/servers.py): blocking HTTP in a
thread that sleeps through its think time costs the client almost nothing, so the two cores stay
with gunicorn. The sign-ins come first (Argon2id at production settings is the costliest request, and
real learners arrive over the minutes before an exam); then every learner presses "Start" at a random
moment of one 5-second window, autosaves 2-3 times with think time, opens the check page and submits.
Afterwards the database must hold one graded attempt per learner with every save in it, and one
completion and one certificate per learner who passed.
"""

import argparse
import json
import math
import statistics
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import cpu, exam
from bench.common import (
    GUNICORN_WORKERS,
    PASSWORD,
    Result,
    app_server,
    at_most,
    create_app_for,
    database,
)
from tests.helpers import csrf_token_from
from tests.servers import Browser

WINDOW = 5.0  # seconds in which every learner presses "Start"
READING = (5.0, 10.0)  # seconds from opening the attempt to the first autosave (reading, answering)
THINK = (1.5, 4.0)  # seconds between a learner's later actions
SKILL = 0.75  # chance that a learner answers a question right (pass mark 70%: about 3 in 4 pass)
P95_GOAL_MS = 500
STEPS = (500, 750, 1000, 1500)  # --find-max goes up these while every goal holds
STEPS_DOWN = (400, 300, 200, 100)  # and down these, to the first that holds, when 500 misses
JSON_SAVE = {"X-Requested-With": "fetch"}  # what app/static/js/quiz.js sends


class Failure(Exception):
    """A response that a learner's browser would show as an error."""


class Run:
    """What the simulated learners measured: latency samples per action, requests and errors."""

    def __init__(self):
        self.samples = {"sign-in": [], "start": [], "save": [], "submit": []}
        self.requests = 0
        self.errors = []
        self.saves = {}  # learner number -> autosaves that succeeded, for every learner whose start did
        self.lock = threading.Lock()

    def call(self, browser, method, path, form=None, expect=200, headers=None):
        """One request of a learner; a status other than `expect` is a Failure."""
        with self.lock:
            self.requests += 1
        status, response_headers, body = browser.request(method, path, form, headers=headers)
        if status != expect:
            raise Failure(f"{method} {path}: {status} {body[:200]!r}")
        return response_headers, body

    def timed(self, kind, started):
        """Record one sample of `kind` that began at `started` (perf_counter)."""
        self.samples[kind].append(time.perf_counter() - started)

    def p95_ms(self, kind):
        """The 95th percentile of `kind` in milliseconds (infinite when nothing was measured)."""
        samples = self.samples[kind]
        if len(samples) < 2:
            return math.inf
        return statistics.quantiles(samples, n=100, method="inclusive")[94] * 1000


def _sign_in(run, port, number):
    """Sign learner `number` in and open the quiz page; returns (browser, CSRF token)."""
    browser = Browser(port, forwarded_for=f"10.{number // 250}.{number % 250}.1")
    started = time.perf_counter()
    _headers, page = run.call(browser, "GET", "/account/login")
    run.call(browser, "POST", "/account/login", {"email": exam.email(number), "password": PASSWORD,
                                                 "csrf_token": csrf_token_from(page)}, expect=302)
    run.timed("sign-in", started)
    _headers, page = run.call(browser, "GET", exam.QUIZ_PATH)
    return browser, csrf_token_from(page)


def _sign_in_all(run, port, learners):
    """Sign every learner in, as many at a time as there are workers; returns {number: (browser, token)}."""
    def attempt(number):
        try:
            return number, _sign_in(run, port, number)
        except Exception as error:  # the report counts it; the learner then sits no exam
            run.errors.append(f"learner {number} sign-in: {error!r}")
            return number, None

    with ThreadPoolExecutor(max_workers=GUNICORN_WORKERS) as pool:
        return {number: signed for number, signed in pool.map(attempt, range(learners)) if signed}


def _save_forms(page, rng, token):
    """The autosaves of one learner: the answers given so far, a third or a half more each time."""
    answers = exam.answers(page, rng, SKILL)
    count = rng.choice((2, 3))
    forms = []
    for step in range(1, count + 1):
        form = {"csrf_token": token}
        for fields in answers[:math.ceil(len(answers) * step / count)]:
            for name, value in fields:
                form.setdefault(name, []).append(value)
        forms.append(form)
    return forms


def _sit_exam(run, number, browser, token, start_at):
    """One learner: start within the window, autosave with think time, check and submit."""
    rng = exam.new_rng(number)
    time.sleep(max(0.0, start_at + rng.uniform(0, WINDOW) - time.perf_counter()))
    started = time.perf_counter()
    headers, _body = run.call(browser, "POST", f"{exam.QUIZ_PATH}/start", {"csrf_token": token}, expect=302)
    attempt = "/attempts/" + headers["Location"].rsplit("/attempts/", 1)[1]
    _headers, page = run.call(browser, "GET", attempt)
    run.timed("start", started)
    run.saves[number] = 0
    revision = exam.field(page, "revision")
    for step, form in enumerate(_save_forms(page, rng, token)):
        time.sleep(rng.uniform(*(THINK if step else READING)))
        started = time.perf_counter()
        _headers, body = run.call(browser, "POST", f"{attempt}/save", {**form, "revision": revision},
                                  headers=JSON_SAVE)
        run.timed("save", started)
        revision = json.loads(body)["revision"]
        run.saves[number] += 1
    time.sleep(rng.uniform(*THINK))
    run.call(browser, "GET", f"{attempt}/check")
    time.sleep(rng.uniform(*THINK))
    started = time.perf_counter()
    headers, _body = run.call(browser, "POST", f"{attempt}/submit", {"csrf_token": token}, expect=302)
    run.call(browser, "GET", headers["Location"].split("academy.test", 1)[-1])
    run.timed("submit", started)


def _exam(run, signed_in):
    """Every signed-in learner sits the exam in their own thread; returns the seconds it took."""
    def learner(number, browser, token):
        try:
            _sit_exam(run, number, browser, token, start_at)
        except Exception as error:  # the report counts it
            run.errors.append(f"learner {number} exam: {error!r}")

    start_at = time.perf_counter() + 1.0  # every thread is waiting by then
    threads = [threading.Thread(target=learner, args=(number, *signed), daemon=True)
               for number, signed in signed_in.items()]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=600)
    return time.perf_counter() - start_at


def check_database(url, saves):
    """Count lost and double-graded attempts of the learners who started (`saves`); returns (problems, summary).

    An attempt is lost when a learner whose start succeeded has no graded attempt, or one that lacks
    an autosave the learner was told had succeeded."""
    from app.accounts.models import User
    from app.certificates.models import Certificate
    from app.extensions import db
    from app.learning.models import Completion
    from app.quizzes.models import Attempt

    with create_app_for(url).app_context():
        rows = db.session.execute(db.select(User.email, Attempt.state, Attempt.score, Attempt.passed,
                                            Attempt.revision).join(Attempt, Attempt.user_id == User.id)).all()
        completions = db.session.scalars(db.select(User.email).join(Completion, Completion.user_id == User.id)).all()
        certificates = db.session.scalars(db.select(User.email).join(Certificate,
                                                                     Certificate.user_id == User.id)).all()
        db.engine.dispose()
    graded = {row.email: row for row in rows if row.state == "submitted" and row.score is not None}
    lost = sum(1 for number, count in saves.items() if exam.email(number) not in graded
               or graded[exam.email(number)].revision != count)
    passed = {email for email, row in graded.items() if row.passed}
    doubled = (len(rows) - len({row.email for row in rows}) + len(completions) - len(set(completions))
               + len(certificates) - len(set(certificates)))
    mismatched = len(passed ^ set(completions)) + len(passed ^ set(certificates))
    summary = (f"{len(graded)} graded once, {len(passed)} passed, {len(set(completions))} completions, "
               f"{len(set(certificates))} certificates")
    return lost + doubled + mismatched, summary


def run_once(engine, learners):
    """Seed, serve and load one engine with `learners`; returns (results, info line)."""
    run = Run()
    with database(engine) as url:
        exam.seed(url, learners)
        with app_server(url) as server:
            began = time.perf_counter()
            signed_in = _sign_in_all(run, server.port, learners)
            signing = time.perf_counter() - began
            servers = [server.process.pid], [cpu.postgres_pid(url)]
            before = [*map(cpu.tree_seconds, servers), time.process_time()]
            duration = _exam(run, signed_in)
            used = [now - then for now, then in zip([*map(cpu.tree_seconds, servers), time.process_time()],
                                                    before, strict=True)]
        problems, summary = check_database(url, run.saves)
    prefix = f"exam spike, {engine}, {learners} learners"
    errors = len(run.errors)
    results = [
        Result(f"{prefix}: errors", f"{errors} in {run.requests} requests", "0", errors == 0),
        Result(f"{prefix}: lost or double-graded attempts", f"{problems} ({summary})", "0", problems == 0),
        at_most(f"{prefix}: start p95 (start + attempt page)", run.p95_ms("start"), P95_GOAL_MS, " ms"),
        at_most(f"{prefix}: submit p95 (submit + result page)", run.p95_ms("submit"), P95_GOAL_MS, " ms"),
    ]
    info = (f"{prefix}: sign-in p95 {run.p95_ms('sign-in'):.0f} ms ({signing:.0f} s for all, not a goal), "
            f"save p95 {run.p95_ms('save'):.0f} ms, exam {duration:.0f} s, CPU per learner in the exam: "
            f"app {1000 * used[0] / learners:.0f} ms, database {1000 * used[1] / learners:.0f} ms, "
            f"client {1000 * used[2] / learners:.0f} ms"
            + "".join(f"\n    {error}" for error in run.errors[:5]))
    return results, info


def run(learners=500, engines=("sqlite", "postgresql")):
    """The goals of the spike at `learners` on each engine (what `make bench` runs)."""
    results = []
    for engine in engines:
        engine_results, info = run_once(engine, learners)
        print(info, file=sys.stderr, flush=True)
        results += engine_results
    return results


def find_max(engine):
    """The largest learner count meeting every goal: up STEPS while they hold, else down STEPS_DOWN."""
    results = []

    def holds(learners):
        step_results, info = run_once(engine, learners)
        print(info, file=sys.stderr, flush=True)
        results.extend(step_results)
        return all(result.holds for result in step_results)

    if holds(STEPS[0]):
        best = STEPS[0]
        for learners in STEPS[1:]:
            if not holds(learners):
                break
            best = learners
    else:
        best = next((learners for learners in STEPS_DOWN if holds(learners)), 0)
    results.append(Result(f"exam spike, {engine}: largest count meeting every goal", str(best),
                          f">= {STEPS[0]}", best >= STEPS[0]))
    return results


def main():
    """Print one line per goal."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--learners", type=int, default=500)
    parser.add_argument("--engine", choices=("sqlite", "postgresql"), action="append")
    parser.add_argument("--find-max", action="store_true",
                        help=f"step up {STEPS} while every goal holds, or down {STEPS_DOWN} if 500 misses")
    arguments = parser.parse_args()
    engines = arguments.engine or ("sqlite", "postgresql")
    if arguments.find_max:
        results = [result for engine in engines for result in find_max(engine)]
    else:
        results = run(arguments.learners, engines)
    for result in results:
        print(result.line(), flush=True)


if __name__ == "__main__":
    main()
