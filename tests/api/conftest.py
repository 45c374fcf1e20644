"""API fixtures: staff with tokens, tokens slipped to people who may not hold them, and small data."""

import hashlib
import secrets
from datetime import date, datetime

import pytest

from app.accounts import api_tokens
from app.accounts.models import ApiToken
from app.cohorts.models import Cohort, CohortMember
from app.content.models import Course, CourseVersion
from app.extensions import db
from app.learning.models import Completion, Enrolment

API = "/api/v1"
# Every endpoint that needs a token: (method, path), with {cohort} filled in by the tests.
PROTECTED = [
    ("GET", "/courses"),
    ("GET", "/cohorts"),
    ("GET", "/cohorts/{cohort}"),
    ("GET", "/enrolments"),
    ("GET", "/completions"),
    ("POST", "/enrolments"),
]


def bearer(secret):
    """Headers that send `secret` as a bearer token."""
    return {"Authorization": f"Bearer {secret}"}


@pytest.fixture
def staff(make_user):
    """A member of the hub's staff."""
    return make_user(role="staff", email="staff@hub.example", full_name="Staff Member")


@pytest.fixture
def write_secret(staff):
    """The secret of a read-and-write token of `staff`."""
    _token, secret = api_tokens.create(staff, "HR system", "write")
    db.session.commit()
    return secret


@pytest.fixture
def read_secret(staff):
    """The secret of a read-only token of `staff`."""
    _token, secret = api_tokens.create(staff, "Reports", "read")
    db.session.commit()
    return secret


@pytest.fixture
def slip_token():
    """Factory: a write token inserted straight into the database for any user (the service refuses some)."""

    def make(user, scope="write"):
        secret = "c4a_" + secrets.token_urlsafe(30)
        db.session.add(ApiToken(user_id=user.id, name="slipped", scope=scope, prefix=secret[:12],
                                token_hash=hashlib.sha256(secret.encode()).hexdigest()))
        db.session.commit()
        return secret

    return make


@pytest.fixture
def make_course():
    """Factory: a course with one version, published unless told otherwise."""

    def make(slug, title=None, language="en", published=True, **version_fields):
        course = Course(slug=slug, language=language, published=published)
        db.session.add(course)
        db.session.flush()
        fields = {"summary": f"About {slug}.", "hours": 2.5, "level": "beginner",
                  "settings": {"competences": ["4.2 Protecting personal data and privacy"]}, **version_fields}
        version = CourseVersion(course_id=course.id, number=1, content_hash="0" * 64, title=title or slug.title(),
                                language=language, course_source="", published_at=datetime(2027, 1, 5, 9, 0),
                                **fields)
        db.session.add(version)
        db.session.flush()
        course.current_version_id = version.id
        db.session.commit()
        return course

    return make


@pytest.fixture
def make_cohort():
    """Factory: a cohort with courses and members."""

    def make(name, courses=(), members=(), starts_on=date(2027, 3, 1), **fields):
        cohort = Cohort(name=name, starts_on=starts_on, courses=list(courses), **fields)
        db.session.add(cohort)
        db.session.flush()
        for user in members:
            db.session.add(CohortMember(cohort_id=cohort.id, user_id=user.id))
        db.session.commit()
        return cohort

    return make


@pytest.fixture
def enrol():
    """Factory: an active enrolment on the course's current version."""

    def make(user, course, **fields):
        enrolment = Enrolment(user_id=user.id, course_id=course.id, version_id=course.current_version_id, **fields)
        db.session.add(enrolment)
        db.session.commit()
        return enrolment

    return make


@pytest.fixture
def complete():
    """Factory: a completion of the course's current version at a given time."""

    def make(user, course, at):
        completion = Completion(user_id=user.id, course_id=course.id, version_id=course.current_version_id,
                                completed_at=at)
        db.session.add(completion)
        db.session.commit()
        return completion

    return make


@pytest.fixture
def school(make_user, make_course, make_cohort, organisation, enrol, complete):
    """Two published courses and a draft; a cohort of two learners; enrolments and completions."""
    hygiene = make_course("cyber-hygiene", "Cyber hygiene")
    bg = make_course("kiberhigiena", "Киберхигиена", language="bg", translation_of="cyber-hygiene")
    draft = make_course("draft-course", published=False)
    ana = make_user(email="ana@plovdiv.bg", full_name="Ана Иванова", organisation=organisation)
    ben = make_user(email="ben@plovdiv.bg", full_name="Ben Petrov")
    eve = make_user(email="eve@varna.bg", full_name="Eve Georgieva")
    trainer = make_user(role="trainer", email="trainer@hub.example", full_name="Tina Trainer")
    cohort = make_cohort("Plovdiv, March", courses=[hygiene], members=[ana, ben], organisation=organisation,
                         trainer=trainer, ends_on=date(2027, 4, 30))
    make_cohort("Varna, May", members=[eve], starts_on=date(2027, 5, 2))
    for user in (ana, ben, eve):
        enrol(user, hygiene)
    enrol(ana, bg)
    complete(ana, hygiene, datetime(2027, 3, 20, 10, 0))
    complete(eve, hygiene, datetime(2027, 2, 1, 8, 0))
    return {"hygiene": hygiene, "bg": bg, "draft": draft, "ana": ana, "ben": ben, "eve": eve, "cohort": cohort,
            "trainer": trainer}
