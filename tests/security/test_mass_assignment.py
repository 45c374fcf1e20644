"""Mass assignment: fields a form does not offer (role, score, passed, user_id, owner_id…) change nothing.

OWASP ASVS 5.0 V15.3.3 (mass assignment), V8.2.2 (data-specific access).
"""

import pytest

from app.accounts.models import ApiToken, User
from app.content import importer
from app.content.package import read_folder
from app.extensions import db
from app.learning.models import Enrolment
from app.quizzes.models import Attempt
from tests.conftest import PASSWORD
from tests.content import packages
from tests.helpers import submit

SMUGGLED = {"role": "admin", "active": "n", "is_admin": "1", "user_id": "1", "owner_id": "1", "id": "1",
            "email": "boss@evil.example", "score": "100", "passed": "y", "max_score": "1", "state": "graded",
            "password_hash": "x", "created_by_id": "1", "scope": "write", "time_accommodation": "none"}


@pytest.fixture
def course(app, tmp_path):
    importer.import_packages([read_folder(packages.write_folder(tmp_path))])
    db.session.commit()


def _fresh(user):
    db.session.expire_all()
    return db.session.get(User, user.id)


def test_registration_ignores_smuggled_fields(client):
    """Signing up with role=admin (or any field the form does not show) makes an ordinary learner."""
    submit(client, "/account/register", {**SMUGGLED, "full_name": "Иван Петров", "email": "ivan@plovdiv.bg",
                                         "password": PASSWORD, "confirm": PASSWORD, "language": "bg"})
    user = db.session.scalar(db.select(User).where(User.email == "ivan@plovdiv.bg"))
    assert user is not None and user.role == "learner" and user.active and user.time_accommodation == ""
    assert db.session.scalar(db.select(User).where(User.email == "boss@evil.example")) is None


def test_profile_ignores_smuggled_fields(client, make_user, login):
    """Saving the profile with role, e-mail or another user's id changes only one's own name and language."""
    victim = make_user(full_name="Мария Иванова")
    me = make_user(full_name="Иван Петров")
    login(me)
    submit(client, "/account/profile", {**SMUGGLED, "user_id": str(victim.id), "id": str(victim.id),
                                        "full_name": "Иван П. Петров", "language": "en", "organisation_id": ""})
    me, victim = _fresh(me), _fresh(victim)
    assert (me.full_name, me.role, me.email, me.active) == ("Иван П. Петров", "learner", me.email, True)
    assert me.email != "boss@evil.example"
    assert (victim.full_name, victim.role) == ("Мария Иванова", "learner")


def test_enrolment_ignores_another_users_id(client, course, make_user, login):
    """Enrolling with user_id of someone else enrols only oneself."""
    other = make_user()
    me = make_user()
    login(me)
    submit(client, "/courses/cyber-hygiene/enrol", {"user_id": str(other.id)}, page="/courses/cyber-hygiene")
    enrolled = db.session.scalars(db.select(Enrolment.user_id)).all()
    assert enrolled == [me.id]


def test_quiz_answers_cannot_set_score_owner_or_state(client, course, make_user, login):
    """Posting score, passed, state or user_id with answers leaves grading to the server."""
    other = make_user()
    me = make_user()
    login(me)
    response = submit(client, "/courses/cyber-hygiene/quiz/check/start", {"user_id": str(other.id)},
                      page="/courses/cyber-hygiene/quiz/check")
    attempt_id = int(response.headers["Location"].rsplit("/", 1)[1])
    page = f"/attempts/{attempt_id}"
    attempt = db.session.get(Attempt, attempt_id)
    submit(client, f"{page}/save", {**SMUGGLED, "user_id": str(other.id), "revision": str(attempt.revision),
                                    "action": "check"}, page=page)
    submit(client, f"{page}/submit", SMUGGLED, page=f"{page}/check")
    db.session.expire_all()
    attempt = db.session.get(Attempt, attempt_id)
    assert attempt.user_id == me.id and attempt.state == "submitted"
    assert attempt.passed is False and attempt.score == 0
    assert db.session.scalars(db.select(Attempt.user_id)).all() == [me.id]


def test_api_token_belongs_to_whoever_creates_it(client, make_user, login):
    """A staff member creating an API token with another user's id gets a token of their own."""
    admin = make_user(role="admin")
    me = make_user(role="staff")
    login(me)
    submit(client, "/account/api-tokens", {"name": "reports", "scope": "read", "user_id": str(admin.id),
                                           "owner_id": str(admin.id)}, page="/account/profile")
    assert db.session.scalars(db.select(ApiToken.user_id)).all() == [me.id]


@pytest.mark.parametrize("extra", [{"role": "admin"}, {"user_id": 1}, {"state": "completed"},
                                   {"enrolled_by": 1}, {"score": 100}])
def test_api_refuses_fields_it_does_not_know(app, client, course, make_user, extra):
    """The JSON API answers 422 naming an unknown field instead of silently using it."""
    from app.accounts import api_tokens

    staff = make_user(role="staff")
    learner = make_user()
    _token, secret = api_tokens.create(staff, "sync", "write")
    db.session.commit()
    response = client.post("/api/v1/enrolments", json={"email": learner.email, "course": "cyber-hygiene", **extra},
                           headers={"Authorization": f"Bearer {secret}"})
    assert response.status_code == 422
    assert next(iter(extra)) in response.get_data(as_text=True)
    assert db.session.scalars(db.select(Enrolment)).all() == []
