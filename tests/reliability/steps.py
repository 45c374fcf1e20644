"""Steps of the "nothing lost" suite: the learner's journey through the pages, and what the database holds."""

from sqlalchemy import func, select

from app.certificates.models import Certificate
from app.extensions import db
from app.learning.models import Completion
from app.quizzes.models import Attempt
from tests.helpers import submit

COURSE = "/courses/cyber-hygiene"
RIGHT_ANSWER = {"q0": "1"}  # the package's quiz: one single-choice question, the second choice is right


def finish_lessons(client):
    """Mark both lessons complete through the pages, as the learner would."""
    for lesson in ("passwords", "phishing"):
        response = submit(client, f"{COURSE}/{lesson}/complete", {}, page=f"{COURSE}/{lesson}")
        assert response.status_code == 302, response.get_data(as_text=True)


def start_attempt(client):
    """Start the quiz through its intro page; returns the attempt's id."""
    response = submit(client, f"{COURSE}/quiz/check/start", {}, page=f"{COURSE}/quiz/check")
    assert response.status_code == 302, response.get_data(as_text=True)
    return int(response.headers["Location"].rsplit("/", 1)[1])


def save_right_answers(client, attempt_id):
    """Save the right answer on the attempt page (the button without scripts)."""
    page = f"/attempts/{attempt_id}"
    response = submit(client, f"{page}/save", {**RIGHT_ANSWER, "revision": "0"}, page=page)
    assert response.status_code == 302, response.get_data(as_text=True)


def outcome(user_id):
    """What the database holds for the learner: attempts by state, completions, certificates, scores."""
    db.session.commit()  # a fresh snapshot, as another reader would see it
    db.session.expire_all()
    attempts = db.session.scalars(select(Attempt).where(Attempt.user_id == user_id)).all()
    return {
        "states": sorted(a.state for a in attempts),
        "scores": [a.percent for a in attempts],
        "answers": [a.answers for a in attempts],
        "completions": db.session.scalar(select(func.count()).select_from(Completion)
                                         .where(Completion.user_id == user_id)),
        "certificates": db.session.scalar(select(func.count()).select_from(Certificate)
                                          .where(Certificate.user_id == user_id)),
    }


def row_counts():
    """Rows in every table of the schema, by table name."""
    db.session.commit()
    return {table.name: db.session.scalar(select(func.count()).select_from(table))
            for table in db.metadata.sorted_tables}
