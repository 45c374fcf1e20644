"""Quiz statistics in the studio: figures, an accessible chart with its table, CSV, permissions."""

import csv
import io

import pytest

from app.content import importer
from app.content.package import read_folder
from app.extensions import db
from app.quizzes import attempts as service
from app.quizzes.models import Quiz
from tests.content import packages
from tests.helpers import count_queries, submit

QUIZ = """---
title: =HYPERLINK("http://evil")
---

## Which is strongest?
- [x] correct-horse-battery-staple
- [ ] Summer2024!

## Port? {short}
- 443
"""


@pytest.fixture
def trainer_client(app, tmp_path, make_user):
    trainer = make_user(role="trainer")
    files = packages.files(**{"03-check_dot_quiz_dot_md": QUIZ})
    importer.import_packages([read_folder(packages.write_folder(tmp_path, contents=files))], user=trainer)
    db.session.commit()
    quiz = db.session.scalar(db.select(Quiz))
    for right in (True, True, False, True):
        learner = make_user()
        attempt = service.start(learner.id, quiz)
        db.session.flush()
        answers = {}
        for position, slot in enumerate(attempt.layout):
            if slot["q"] == 0:
                answers[str(position)] = 0 if right else 1
            else:
                answers[str(position)] = "443" if right else "80"
        attempt.answers = answers
        service.finish(attempt)
        db.session.commit()
    client = app.test_client()
    submit(client, "/account/login", {"email": trainer.email, "password": "correct horse battery"})
    return client


PAGE = "/trainer/courses/cyber-hygiene/quizzes/check/stats"


def test_statistics_page_shows_figures_chart_and_table(trainer_client):
    """Trainers see attempts, average, a labelled chart and the same data as a table."""
    page = trainer_client.get(PAGE).get_data(as_text=True)
    assert "<dt>Attempts</dt><dd>4</dd>" in page and "75.0%" in page
    assert 'role="img"' in page and "<desc" in page and "<caption>Score distribution</caption>" in page
    assert "90–100%" in page and "correct-horse-battery-staple: 3" in page


def test_statistics_csv_neutralises_formulas(trainer_client):
    """The CSV has one row per question, and nothing in it can run as a spreadsheet formula."""
    response = trainer_client.get(PAGE + "?format=csv")
    assert response.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    assert rows[0][0] == "Number" and len(rows) == 3
    assert all(not cell.startswith(("=", "+", "@")) for row in rows for cell in row)
    assert rows[1][4] == "75.0"


def test_statistics_are_for_the_courses_trainers(app, trainer_client, make_user):
    """Another trainer or a learner cannot open the statistics."""
    for role, status in (("trainer", 404), ("learner", 403)):
        other = app.test_client()
        submit(other, "/account/login", {"email": make_user(role=role).email, "password": "correct horse battery"})
        assert other.get(PAGE).status_code == status


def test_statistics_page_uses_few_queries(app, trainer_client):
    """The report makes a fixed number of queries whatever the number of attempts."""
    with count_queries(app.extensions["sqlalchemy"].engine) as counter:
        assert trainer_client.get(PAGE).status_code == 200
    assert counter.count <= 6, counter.statements
