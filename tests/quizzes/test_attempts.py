"""Attempts: fail then pass, limits, time limits, ownership, submit once, no stale overwrites, no leaks."""

from datetime import timedelta

import pytest

from app.content import importer
from app.content.package import read_folder
from app.extensions import db
from app.learning.models import Completion
from app.quizzes.models import Attempt, Quiz
from app.timeutil import utcnow
from tests.content import packages
from tests.helpers import csrf_token_from, submit

QUIZ = """---
title: Check
pass_mark: 75
attempts: 2
---

## Which password is strongest?
- [ ] Summer2024!
    > Too short and predictable.
- [x] correct-horse-battery-staple
    > Long passphrases win.

> Length beats complexity.

## Which are signs of phishing? {multiple}
- [x] Urgency
- [x] Wrong sender domain
- [ ] Your name in the greeting

## HTTPS proves a site is honest. {true-false}
- [ ] True
- [x] False

## Port of HTTPS? {short}
- 443
"""


@pytest.fixture
def course(app, tmp_path):
    files = packages.files(**{"03-check_dot_quiz_dot_md": QUIZ})
    importer.import_packages([read_folder(packages.write_folder(tmp_path, contents=files))])
    db.session.commit()


@pytest.fixture
def learner(make_user, login):
    user = make_user()
    login(user)
    return user


def _start(client):
    response = submit(client, "/courses/cyber-hygiene/quiz/check/start", {}, page="/courses/cyber-hygiene/quiz/check")
    assert response.status_code == 302, response.get_data(as_text=True)
    return int(response.headers["Location"].rsplit("/", 1)[1])


def _positions(attempt_id):
    db.session.expire_all()
    attempt = db.session.get(Attempt, attempt_id)
    return {attempt.quiz.questions[slot["q"]]["type"]: (position, slot) for position, slot in enumerate(attempt.layout)}


def _answers(attempt_id, right=True):
    """Form fields answering every question right (or wrong)."""
    data = {}
    for kind, (position, slot) in _positions(attempt_id).items():
        if kind == "single":
            data[f"q{position}"] = str(slot["order"].index(1 if right else 0))
        elif kind == "multiple":
            data[f"q{position}"] = [str(slot["order"].index(i)) for i in ((0, 1) if right else (2,))]
        elif kind == "true-false":
            data[f"q{position}"] = "false" if right else "true"
        else:
            data[f"q{position}"] = "443" if right else "80"
    return data


def _save_and_submit(client, attempt_id, data):
    page = f"/attempts/{attempt_id}"
    revision = db.session.get(Attempt, attempt_id).revision
    submit(client, f"{page}/save", {**data, "revision": str(revision), "action": "check"}, page=page)
    return submit(client, f"{page}/submit", {}, page=f"{page}/check")


def test_fail_then_pass_completes_the_course(client, course, learner):
    """A learner fails, reads the feedback, passes on the second attempt and completes the course."""
    for lesson in ("passwords", "phishing"):
        submit(client, f"/courses/cyber-hygiene/{lesson}/complete", {}, page=f"/courses/cyber-hygiene/{lesson}")
    page = client.get("/courses/cyber-hygiene/quiz/check").get_data(as_text=True)
    assert "75% of the points" in page and "Attempts left" in page
    first = _start(client)
    response = _save_and_submit(client, first, _answers(first, right=False))
    review = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "You did not pass this time." in review and "Too short and predictable." in review
    assert "Length beats complexity." in review and "right answer" in review
    assert db.session.scalar(db.select(db.func.count(Completion.id))) == 0
    second = _start(client)
    assert second != first
    review = client.get(_save_and_submit(client, second, _answers(second)).headers["Location"]).get_data(as_text=True)
    assert "You passed." in review and "4 of 4 points (100%)" in review
    assert db.session.scalar(db.select(db.func.count(Completion.id))) == 1
    assert "3 of 3 done (100%)" in client.get("/courses/cyber-hygiene").get_data(as_text=True)


def test_attempt_limit_is_enforced_on_the_server(client, course, learner):
    """After the allowed attempts, starting again is refused whatever the page shows."""
    for _ in range(2):
        attempt_id = _start(client)
        _save_and_submit(client, attempt_id, {})
    response = client.post("/courses/cyber-hygiene/quiz/check/start",
                           data={"csrf_token": csrf_token_from(client.get("/account/profile").get_data(as_text=True))})
    assert response.status_code == 302 and "/quiz/check" in response.headers["Location"]
    assert "You have used all your attempts" in client.get(response.headers["Location"]).get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(Attempt.id))) == 2


def test_starting_twice_resumes_the_same_attempt(client, course, learner):
    """A second click on Start (or another tab) continues the open attempt."""
    assert _start(client) == _start(client)


def test_answer_key_never_reaches_the_browser_before_submission(client, course, learner):
    """The attempt page holds questions and choices but no right answers, weights or feedback."""
    attempt_id = _start(client)
    page = client.get(f"/attempts/{attempt_id}").get_data(as_text=True)
    assert "correct-horse-battery-staple" in page
    for secret in ("Long passphrases win.", "Too short and predictable.", "Length beats complexity.", "443",
                   "fraction", "right answer"):
        assert secret not in page
    response = submit(client, f"/attempts/{attempt_id}/save", {"revision": "0"}, page=f"/attempts/{attempt_id}",
                      headers={"X-Requested-With": "fetch"})
    assert response.get_json() == {"revision": 1, "saved": True}


def test_autosave_keeps_answers_and_refuses_stale_pages(client, course, learner):
    """Saved answers come back on reload; a page older than the last save cannot overwrite it."""
    attempt_id = _start(client)
    data = _answers(attempt_id)
    page = f"/attempts/{attempt_id}"
    fetch = {"X-Requested-With": "fetch"}
    assert submit(client, f"{page}/save", {**data, "revision": "0"}, page=page, headers=fetch).status_code == 200
    stale = submit(client, f"{page}/save", {"revision": "0"}, page=page, headers=fetch)
    assert stale.status_code == 409 and stale.get_json()["stale"] is True
    db.session.expire_all()
    assert len(db.session.get(Attempt, attempt_id).answers) == 4
    assert 'value="443"' in client.get(page).get_data(as_text=True)


def test_double_submit_grades_once(client, course, learner):
    """Two submits (double click, second tab) give one grade and the same review."""
    attempt_id = _start(client)
    _save_and_submit(client, attempt_id, _answers(attempt_id, right=False))
    finished = db.session.get(Attempt, attempt_id).finished_at
    response = submit(client, f"/attempts/{attempt_id}/submit", {}, page=f"/attempts/{attempt_id}/review")
    assert response.headers["Location"].endswith(f"/attempts/{attempt_id}/review")
    db.session.expire_all()
    attempt = db.session.get(Attempt, attempt_id)
    assert attempt.finished_at == finished and attempt.state == "submitted"


def test_time_limit_closes_with_saved_answers(app, client, course, learner):
    """After the deadline and grace period the attempt closes, graded on what was saved; nothing is lost."""
    attempt_id = _start(client)
    page = f"/attempts/{attempt_id}"
    submit(client, f"{page}/save", {**_answers(attempt_id), "revision": "0"}, page=page)
    db.session.execute(db.update(Attempt).values(deadline=utcnow() - timedelta(minutes=5)))
    db.session.commit()
    response = submit(client, f"{page}/save", {"revision": "1"}, page=f"{page}/check")
    assert response.status_code == 302
    db.session.expire_all()
    attempt = db.session.get(Attempt, attempt_id)
    assert attempt.state == "abandoned" and attempt.passed and len(attempt.answers) == 4


def test_within_grace_period_a_late_save_still_counts(app, client, course, learner):
    """A save a few seconds after the deadline (slow network) is accepted."""
    attempt_id = _start(client)
    db.session.execute(db.update(Attempt).values(deadline=utcnow() - timedelta(seconds=10)))
    db.session.commit()
    page = f"/attempts/{attempt_id}"
    submit(client, f"{page}/save", {**_answers(attempt_id), "revision": "0"}, page=page)
    db.session.expire_all()
    assert db.session.get(Attempt, attempt_id).state == "in_progress"


def test_other_learners_cannot_see_or_touch_an_attempt(app, client, course, learner, make_user):
    """Swapping attempt ids gives 404, never another learner's questions or answers."""
    attempt_id = _start(client)
    other = app.test_client()
    stranger = make_user()
    submit(other, "/account/login", {"email": stranger.email, "password": "correct horse battery"})
    for path in (f"/attempts/{attempt_id}", f"/attempts/{attempt_id}/check", f"/attempts/{attempt_id}/review"):
        assert other.get(path).status_code == 404
    token = csrf_token_from(other.get("/account/profile").get_data(as_text=True))
    assert other.post(f"/attempts/{attempt_id}/submit", data={"csrf_token": token}).status_code == 404
    assert other.post(f"/attempts/{attempt_id}/save", data={"csrf_token": token, "revision": "0"}).status_code == 404


def test_posted_score_or_passed_fields_are_ignored(client, course, learner):
    """Mass assignment: score, passed or state in the form change nothing."""
    attempt_id = _start(client)
    page = f"/attempts/{attempt_id}"
    submit(client, f"{page}/save", {"revision": "0", "score": "100", "passed": "1", "state": "submitted"}, page=page)
    db.session.expire_all()
    attempt = db.session.get(Attempt, attempt_id)
    assert attempt.state == "in_progress" and attempt.score is None and attempt.answers == {}


@pytest.mark.parametrize("payload", ["<script>alert(1)</script>", "x" * 10000, "' OR 1=1 --", "{{ config }}"])
def test_hostile_answers_are_stored_as_text(client, course, learner, payload):
    """Any text typed as an answer is stored (trimmed to a limit) and shown escaped in the review."""
    attempt_id = _start(client)
    position = _positions(attempt_id)["short"][0]
    _save_and_submit(client, attempt_id, {f"q{position}": payload})
    review = client.get(f"/attempts/{attempt_id}/review").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in review
    assert len(db.session.get(Attempt, attempt_id).answers[str(position)]) <= 2000


def test_new_course_version_never_changes_an_attempt(client, app, tmp_path, course, learner):
    """An attempt keeps its quiz when a new version changes the questions."""
    attempt_id = _start(client)
    changed = packages.files(**{"03-check_dot_quiz_dot_md": QUIZ.replace("Port of HTTPS?", "Port of SSH?")
                                .replace("- 443", "- 22")})
    importer.import_packages([read_folder(packages.write_folder(tmp_path / "v2", contents=changed))])
    db.session.commit()
    db.session.expire_all()
    attempt = db.session.get(Attempt, attempt_id)
    assert attempt.quiz.version.number == 1
    assert "Port of HTTPS?" in client.get(f"/attempts/{attempt_id}").get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(Quiz.id))) == 2


def test_review_level_score_hides_answers(app, client, tmp_path, learner):
    """With review: score, the learner sees the result but not the right answers."""
    files = packages.files(**{"03-check_dot_quiz_dot_md": QUIZ.replace("attempts: 2", "attempts: 2\nreview: score")})
    importer.import_packages([read_folder(packages.write_folder(tmp_path, contents=files))])
    db.session.commit()
    attempt_id = _start(client)
    review = client.get(_save_and_submit(client, attempt_id, {}).headers["Location"]).get_data(as_text=True)
    assert "You did not pass" in review and "right answer" not in review and "Long passphrases win." not in review


def test_quiz_pages_use_few_queries(app, client, course, learner):
    """The attempt page and the review make a small fixed number of queries."""
    from tests.helpers import count_queries

    attempt_id = _start(client)
    engine = app.extensions["sqlalchemy"].engine
    with count_queries(engine) as counter:
        client.get(f"/attempts/{attempt_id}")
    assert counter.count <= 3, counter.statements
    _save_and_submit(client, attempt_id, {})
    with count_queries(engine) as counter:
        client.get(f"/attempts/{attempt_id}/review")
    assert counter.count <= 5, counter.statements


def test_returning_after_the_time_ran_out_shows_the_result(client, course, learner):
    """A learner who comes back after the deadline sees the graded result of what was saved."""
    attempt_id = _start(client)
    page = f"/attempts/{attempt_id}"
    submit(client, f"{page}/save", {**_answers(attempt_id), "revision": "0"}, page=page)
    db.session.execute(db.update(Attempt).values(deadline=utcnow() - timedelta(hours=1)))
    db.session.commit()
    response = client.get(page)
    assert response.headers["Location"].endswith(f"{page}/review")
    review = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "You passed." in review and "The time ran out" in review


def test_answers_posted_to_a_finished_attempt_change_nothing(client, course, learner):
    """After submission, saving (with any revision) is refused and the graded answers stay."""
    attempt_id = _start(client)
    _save_and_submit(client, attempt_id, _answers(attempt_id))
    before = db.session.get(Attempt, attempt_id).answers
    page = f"/attempts/{attempt_id}"
    for revision in ("0", "1", "2"):
        response = submit(client, f"{page}/save", {**_answers(attempt_id, right=False), "revision": revision},
                          page="/account/profile", headers={"X-Requested-With": "fetch"})
        assert response.status_code == 409
    db.session.expire_all()
    attempt = db.session.get(Attempt, attempt_id)
    assert attempt.answers == before and attempt.passed


def test_numeric_answers_are_shown_as_written(client, app, tmp_path, learner):
    """The review shows 72, not 72.0."""
    quiz = "---\ntitle: N\n---\n\n## Hours to notify? {numeric}\n- 72\n"
    files = packages.files(**{"03-check_dot_quiz_dot_md": quiz})
    importer.import_packages([read_folder(packages.write_folder(tmp_path, contents=files))])
    db.session.commit()
    attempt_id = _start(client)
    review = client.get(_save_and_submit(client, attempt_id, {"q0": "72,0"}).headers["Location"]).get_data(as_text=True)
    assert "Accepted answers: 72<" in review and "You passed." in review


def test_short_answer_feedback_is_shown_in_the_review(client, app, tmp_path, learner):
    """The feedback written under an accepted short answer appears when the learner gave it."""
    quiz = "---\ntitle: S\n---\n\n## Port? {short}\n- 443\n    > Yes: HTTPS listens on 443.\n"
    importer.import_packages([read_folder(packages.write_folder(
        tmp_path, contents=packages.files(**{"03-check_dot_quiz_dot_md": quiz})))])
    db.session.commit()
    attempt_id = _start(client)
    review = client.get(_save_and_submit(client, attempt_id, {"q0": "443"}).headers["Location"]).get_data(as_text=True)
    assert "Yes: HTTPS listens on 443." in review


def test_quiz_intro_and_check_pages_use_few_queries(app, client, course, learner):
    """The quiz intro and the check page make a small fixed number of queries."""
    from tests.helpers import count_queries

    engine = app.extensions["sqlalchemy"].engine
    with count_queries(engine) as counter:
        client.get("/courses/cyber-hygiene/quiz/check")
    assert counter.count <= 7, counter.statements
    attempt_id = _start(client)
    with count_queries(engine) as counter:
        client.get(f"/attempts/{attempt_id}/check")
    assert counter.count <= 3, counter.statements


@pytest.fixture
def timed_course(app, tmp_path):
    timed = QUIZ.replace("title: Check\n", "title: Check\ntime_limit: 20\n")
    files = packages.files(**{"03-check_dot_quiz_dot_md": timed})
    importer.import_packages([read_folder(packages.write_folder(tmp_path, contents=files))])
    db.session.commit()


@pytest.mark.parametrize("accommodation, minutes", [("", 20), ("25", 25), ("50", 30), ("100", 40), ("none", None)])
def test_extra_time_granted_by_staff_sets_the_deadline(app, client, timed_course, learner, make_user, accommodation,
                                                       minutes):
    """WCAG 2.2.1: staff give a learner more time (or none) in timed quizzes; the intro says so."""
    staff = make_user(role="staff")
    staff_client = app.test_client()
    submit(staff_client, "/account/login", {"email": staff.email, "password": "correct horse battery"})
    response = submit(staff_client, f"/staff/people/{learner.id}/time", {"time_accommodation": accommodation},
                      page=f"/staff/people/{learner.id}")
    assert response.status_code == 302
    intro = client.get("/courses/cyber-hygiene/quiz/check").get_data(as_text=True)
    before = utcnow()
    attempt = db.session.get(Attempt, _start(client))
    if minutes is None:
        assert attempt.deadline is None and "you were given time without limit" in intro
    else:
        assert abs((attempt.deadline - before).total_seconds() - minutes * 60) < 30
        assert f"{minutes} minutes" in intro
        assert ("extra time you were given" in intro) == (minutes != 20)
    from app.audit import AuditEvent

    entries = db.session.scalars(db.select(AuditEvent).where(AuditEvent.action == "user.accommodation_changed"))
    assert len(list(entries)) == (1 if accommodation else 0)


def test_extra_time_accepts_only_the_offered_values(app, learner, make_user):
    staff_client = app.test_client()
    staff = make_user(role="staff")
    submit(staff_client, "/account/login", {"email": staff.email, "password": "correct horse battery"})
    for value in ("1000", "-50", "' OR 1=1 --"):
        submit(staff_client, f"/staff/people/{learner.id}/time", {"time_accommodation": value},
               page=f"/staff/people/{learner.id}")
        db.session.refresh(learner)
        assert learner.time_accommodation == ""
