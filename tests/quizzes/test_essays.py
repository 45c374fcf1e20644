"""Essay grading: the trainer's queue, marks with comments, and the score and pass state that follow."""

import pytest

from app.content import importer
from app.content.models import Course, CourseEditor
from app.content.package import read_folder
from app.extensions import db
from app.learning.models import Completion
from app.quizzes.models import Attempt
from tests.content import packages
from tests.helpers import submit

QUIZ = """---
title: Reflection
pass_mark: 60
---

## Which is strongest?
- [x] correct-horse-battery-staple
- [ ] Summer2024!

## Describe how you would report a phishing e-mail. {essay, points=4}

> Mention the IT contact and not deleting the message.
"""


@pytest.fixture
def setup(app, tmp_path, make_user):
    files = packages.files(**{"03-check_dot_quiz_dot_md": QUIZ, "01-passwords_dot_md": packages.LESSON_1,
                              "02-phishing_dot_md": packages.LESSON_2})
    trainer = make_user(role="trainer")
    importer.import_packages([read_folder(packages.write_folder(tmp_path, contents=files))], user=trainer)
    db.session.commit()
    return trainer


def _take_quiz(app, make_user, essay_text="I forward it to IT and keep it."):
    learner = make_user()
    client = app.test_client()
    submit(client, "/account/login", {"email": learner.email, "password": "correct horse battery"})
    for lesson in ("passwords", "phishing"):
        submit(client, f"/courses/cyber-hygiene/{lesson}/complete", {}, page=f"/courses/cyber-hygiene/{lesson}")
    response = submit(client, "/courses/cyber-hygiene/quiz/check/start", {}, page="/courses/cyber-hygiene/quiz/check")
    attempt_id = int(response.headers["Location"].rsplit("/", 1)[1])
    attempt = db.session.get(Attempt, attempt_id)
    fields = {}
    for position, slot in enumerate(attempt.layout):
        kind = attempt.quiz.questions[slot["q"]]["type"]
        fields[f"q{position}"] = str(slot["order"].index(0)) if kind == "single" else essay_text
    submit(client, f"/attempts/{attempt_id}/save", {**fields, "revision": "0"}, page=f"/attempts/{attempt_id}")
    submit(client, f"/attempts/{attempt_id}/submit", {}, page=f"/attempts/{attempt_id}/check")
    return client, learner, attempt_id


def _trainer_client(app, user):
    client = app.test_client()
    submit(client, "/account/login", {"email": user.email, "password": "correct horse battery"})
    return client


def test_essay_waits_then_grade_passes_and_completes(app, setup, make_user):
    """An essay attempt waits in the queue; the trainer's grade updates the score, passes and completes."""
    learner_client, learner, attempt_id = _take_quiz(app, make_user)
    review = learner_client.get(f"/attempts/{attempt_id}/review").get_data(as_text=True)
    assert "A trainer still has to grade" in review and "1 of 5 points (20%)" in review
    trainer = _trainer_client(app, setup)
    queue = trainer.get("/trainer/essays").get_data(as_text=True)
    assert learner.full_name in queue
    page = trainer.get(f"/trainer/essays/{attempt_id}").get_data(as_text=True)
    assert "I forward it to IT and keep it." in page and "Mention the IT contact" in page
    position = next(i for i, s in enumerate(db.session.get(Attempt, attempt_id).layout) if s["q"] == 1)
    response = submit(trainer, f"/trainer/essays/{attempt_id}",
                      {f"points-{position}": "3,5", f"comment-{position}": "Good: <b>also</b> tell your manager."})
    assert response.status_code == 302
    db.session.expire_all()
    attempt = db.session.get(Attempt, attempt_id)
    assert attempt.score == 4.5 and attempt.passed and not attempt.needs_grading
    assert db.session.scalar(db.select(db.func.count(Completion.id))) == 1
    review = learner_client.get(f"/attempts/{attempt_id}/review").get_data(as_text=True)
    assert "You passed." in review and "Good: &lt;b&gt;also&lt;/b&gt; tell your manager." in review
    assert "No essays are waiting" in trainer.get("/trainer/essays").get_data(as_text=True)


@pytest.mark.parametrize("points, message", [("9", "Give between 0 and 4"), ("-1", "Give between 0 and 4"),
                                             ("lots", "Enter the points as a number")])
def test_invalid_marks_are_refused(app, setup, make_user, points, message):
    """Points outside the question's range or not numbers are refused with a message; nothing changes."""
    _client, _learner, attempt_id = _take_quiz(app, make_user)
    trainer = _trainer_client(app, setup)
    position = next(i for i, s in enumerate(db.session.get(Attempt, attempt_id).layout) if s["q"] == 1)
    response = submit(trainer, f"/trainer/essays/{attempt_id}", {f"points-{position}": points})
    assert message in trainer.get(f"/trainer/essays/{attempt_id}").get_data(as_text=True) or \
        message in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Attempt, attempt_id).needs_grading


def test_only_the_courses_trainers_and_staff_can_grade(app, setup, make_user):
    """Another trainer neither sees the essay in their queue nor can open it; staff can."""
    _client, learner, attempt_id = _take_quiz(app, make_user)
    stranger = _trainer_client(app, make_user(role="trainer"))
    assert learner.full_name not in stranger.get("/trainer/essays").get_data(as_text=True)
    assert stranger.get(f"/trainer/essays/{attempt_id}").status_code == 404
    staff = _trainer_client(app, make_user(role="staff"))
    assert staff.get(f"/trainer/essays/{attempt_id}").status_code == 200
    learner_client = app.test_client()
    submit(learner_client, "/account/login", {"email": learner.email, "password": "correct horse battery"})
    assert learner_client.get(f"/trainer/essays/{attempt_id}").status_code == 403


def test_co_author_sees_the_queue(app, setup, make_user):
    """A co-author of the course grades like the owner."""
    _client, learner, _attempt_id = _take_quiz(app, make_user)
    co_author = make_user(role="trainer")
    course = db.session.scalar(db.select(Course))
    db.session.add(CourseEditor(course_id=course.id, user_id=co_author.id))
    db.session.commit()
    assert learner.full_name in _trainer_client(app, co_author).get("/trainer/essays").get_data(as_text=True)


def test_grading_pages_use_few_queries(app, setup, make_user):
    """The essay queue and the grading page make a fixed number of queries, however many essays wait."""
    from tests.helpers import count_queries

    attempt_ids = [_take_quiz(app, make_user)[2] for _ in range(3)]
    trainer = _trainer_client(app, setup)
    engine = app.extensions["sqlalchemy"].engine
    for path, limit in (("/trainer/essays", 3), (f"/trainer/essays/{attempt_ids[0]}", 6)):
        with count_queries(engine) as counter:
            assert trainer.get(path).status_code == 200
        assert counter.count <= limit, (path, counter.statements)
