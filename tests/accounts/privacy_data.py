"""A learner with a full history (organisation, courses, progress, quiz answers, certificate) for privacy tests."""

import json

from app.certificates import services as certificates
from app.content import importer
from app.content.models import Course
from app.content.package import read_folder
from app.extensions import db
from app.learning import services as learning
from app.quizzes import attempts, essays
from app.quizzes.models import Quiz
from tests.content import packages
from tests.helpers import submit

QUIZ = """---
title: Reflection
pass_mark: 50
---

## Which is strongest?
- [x] correct-horse-battery-staple
    > Long passphrases beat short complex ones.
- [ ] Summer2024!

## Which port does HTTPS use? {short}
- 443

## Describe how you would report a phishing e-mail. {essay, points=4}

> Mention the IT contact.
"""

SHORT_TEXT = "443, ask Мария Иванова at 0888 123 456"
ESSAY_TEXT = "I call my colleague Мария Иванова in IT at home."
COMMENT = "Good, Мария would agree."


def import_course(tmp_path, trainer, slug="cyber-hygiene"):
    """Import the two-lesson course with the reflection quiz; returns the course."""
    files = packages.files(**{"03-check_dot_quiz_dot_md": QUIZ})
    importer.import_packages([read_folder(packages.write_folder(tmp_path / slug, slug=slug, contents=files))],
                             user=trainer)
    db.session.commit()
    return db.session.scalar(db.select(Course).where(Course.slug == slug))


def take_quiz(learner, course, trainer):
    """Answer every question (the essay and short answer with personal text), submit, and grade the essay."""
    quiz = db.session.scalar(db.select(Quiz).where(Quiz.version_id == course.current_version_id))
    attempt = attempts.start(learner.id, quiz)
    raw = {}
    for position, slot in enumerate(attempt.layout):
        kind = quiz.questions[slot["q"]]["type"]
        if kind == "single":
            raw[str(position)] = str(slot["order"].index(0))  # the right choice, wherever it was shuffled
        else:
            raw[str(position)] = SHORT_TEXT if kind == "short" else ESSAY_TEXT
    attempts.save(attempt, raw, attempt.revision)
    attempts.finish(attempt)
    position = essays.essay_positions(attempt)[0]
    essays.record_marks(attempt, {position: "3"}, {position: COMMENT})
    db.session.commit()
    return attempt


def learner_with_history(tmp_path, make_user, organisation, courses=1):
    """A learner in an organisation with `courses` courses: lessons done, a graded attempt and a certificate."""
    trainer = make_user(role="trainer")
    learner = make_user(organisation=organisation, full_name="Мария Иванова", email="maria.ivanova@example.bg")
    for number in range(courses):
        course = import_course(tmp_path, trainer, slug=f"course-{number}")
        learning.enrol(learner, course)
        for lesson in ("passwords", "phishing"):
            learning.mark_complete(learner, course, lesson)
        take_quiz(learner, course, trainer)  # the pass completes the course, which issues the certificate
    assert len(certificates.of_user(learner.id)) == courses
    return learner, trainer


def download(client):
    """Post the profile's "Download my data" form; returns the response."""
    return submit(client, "/account/profile/data", {}, page="/account/profile")


def downloaded(client):
    """The downloaded document as a dict."""
    response = download(client)
    assert response.status_code == 200, response.status_code
    return json.loads(response.get_data(as_text=True))
