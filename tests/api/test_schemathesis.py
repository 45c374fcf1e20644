"""Schemathesis against the running app: generated requests to every operation of the OpenAPI document.

The app is served by a real server on 127.0.0.1 (like tests/browser) with a throwaway SQLite database,
a staff member's read-and-write token and some data. Schemathesis loads the document over HTTP and
sends valid and invalid requests; every answer must be no server error, have a documented status
code and content type, and match the documented schema; invalid requests must be refused (4xx).

Each operation and generation mode is one pytest case driving Hypothesis directly with the
operation's strategy (Schemathesis 4's `pytest.from_fixture` integration does not run under pytest 9).
Generation is derandomised, so a run is reproducible; the whole file takes about 20-30 seconds.
"""

import threading
from datetime import date, datetime

import pytest
import schemathesis
from flask_migrate import upgrade
from hypothesis import HealthCheck, given, settings
from werkzeug.serving import make_server

from app import create_app
from app.accounts import api_tokens, services
from app.api.openapi import paths
from app.certificates import services as certificates
from app.cohorts.models import Cohort, CohortMember
from app.content.models import Course, CourseVersion
from app.extensions import db
from app.learning.models import Completion, Enrolment

EXAMPLES = 50  # per operation and generation mode
CHECKS = [
    schemathesis.checks.not_a_server_error,
    schemathesis.checks.status_code_conformance,
    schemathesis.checks.content_type_conformance,
    schemathesis.checks.response_schema_conformance,
    schemathesis.checks.negative_data_rejection,
]


def _config(secret):
    """Schemathesis settings: the token as the document's bearerAuth (so it can also try without it)."""
    return schemathesis.Config.from_dict({
        "generation": {"deterministic": True, "database": "none"},
        "auth": {"openapi": {"bearerAuth": {"bearer": secret}}},
    })


def _prepare():
    """A staff member with a write token, two courses, a cohort, learners, enrolments, a certificate."""
    upgrade()
    staff = services.create_user("staff@hub.example", "Staff Member", "correct horse battery", role="staff")
    learners = [services.create_user(f"learner{n}@example.bg", f"Learner {n}") for n in range(3)]
    courses = []
    for slug, language in (("cyber-hygiene", "en"), ("kiberhigiena", "bg")):
        course = Course(slug=slug, language=language, published=True)
        db.session.add(course)
        db.session.flush()
        version = CourseVersion(course_id=course.id, number=1, content_hash="0" * 64, title=slug, language=language,
                                summary="A course.", hours=2, course_source="", settings={})
        db.session.add(version)
        db.session.flush()
        course.current_version_id = version.id
        courses.append(course)
    cohort = Cohort(name="Plovdiv", starts_on=date(2027, 3, 1), courses=courses[:1])
    db.session.add(cohort)
    db.session.flush()
    for learner in learners:
        db.session.add(CohortMember(cohort_id=cohort.id, user_id=learner.id))
        db.session.add(Enrolment(user_id=learner.id, course_id=courses[0].id, version_id=courses[0].current_version_id))
    db.session.add(Completion(user_id=learners[0].id, course_id=courses[0].id,
                              version_id=courses[0].current_version_id, completed_at=datetime(2027, 3, 9)))
    db.session.flush()
    certificate = certificates.issue(learners[0], courses[0], courses[0].current_version, date(2027, 3, 9))
    _token, secret = api_tokens.create(staff, "schemathesis", "write")
    db.session.commit()
    return secret, certificate.code, cohort.id


@pytest.fixture(scope="module")
def live_api(tmp_path_factory):
    """The app on a free port of 127.0.0.1 with data: (base URL, write token, certificate code, cohort id)."""
    folder = tmp_path_factory.mktemp("schemathesis")
    server = make_server("127.0.0.1", 0, None, threaded=True)
    url = f"http://127.0.0.1:{server.server_port}"
    app = create_app({
        "ACADEMY_ENV": "testing",
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'academy.sqlite3'}",
        "SERVER_URL": url,
        "KEYS_FOLDER": str(folder / "keys"),
        "MAIL_BACKEND": "outbox",
        "MAIL_OUTBOX": str(folder / "outbox"),
        "API_RATE_LIMIT": "100000 per minute",
        "VERIFY_RATE_LIMIT": "100000 per minute",
    })
    with app.app_context():
        prepared = _prepare()
        db.engine.dispose()
    server.app = app
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield (url, *prepared)
    server.shutdown()
    thread.join(timeout=5)


@pytest.fixture(scope="module")
def api_schema(live_api):
    """The OpenAPI document, loaded by Schemathesis from the running server."""
    url, secret, _code, _cohort = live_api
    return schemathesis.openapi.from_url(f"{url}/api/v1/openapi.json", config=_config(secret))


# Parametrised from the document itself: test_openapi.py checks that it lists every route.
OPERATIONS = [f"{method.upper()} {path}" for path, operations in paths().items() for method in operations]
# Any string may be a certificate code, and the document takes no parameters: no invalid input exists.
NOTHING_TO_NEGATE = {"GET /certificates/{code}", "GET /openapi.json"}
CASES = [(label, mode) for label in OPERATIONS for mode in schemathesis.GenerationMode
         if not (mode.is_negative and label in NOTHING_TO_NEGATE)]
# Lists answer 200 to valid requests whatever the filters; proves the token was sent.
ALWAYS_SUCCEED = {"GET /courses", "GET /cohorts", "GET /enrolments", "GET /completions", "GET /openapi.json"}


@pytest.mark.parametrize("label, mode", CASES, ids=[f"{label} {mode.value}" for label, mode in CASES])
def test_api_answers_as_documented(api_schema, label, mode):
    """Generated requests, valid and invalid, get documented, well-formed answers and never a 5xx."""
    operation = api_schema.find_operation_by_label(label)
    assert operation is not None, label
    statuses = []

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck))
    def answers_as_documented(case):
        statuses.append(case.call_and_validate(checks=CHECKS, timeout=10).status_code)

    answers_as_documented()
    if mode.is_positive:
        assert 401 not in statuses, "the token was not sent"
        if label in ALWAYS_SUCCEED:
            assert 200 in statuses, statuses


def test_known_data_answers_as_documented(api_schema, live_api):
    """Requests that find data (random ones rarely do) also answer as documented."""
    _url, secret, code, cohort_id = live_api
    enrol = api_schema["/enrolments"]["POST"]
    body = {"email": "Learner1@example.bg", "course": "kiberhigiena"}
    cases = [
        (enrol.Case(body=body, media_type="application/json"), 201),
        (enrol.Case(body=body, media_type="application/json"), 200),
        (api_schema["/certificates/{code}"]["GET"].Case(path_parameters={"code": code.lower()}), 200),
        (api_schema["/cohorts/{cohort_id}"]["GET"].Case(path_parameters={"cohort_id": cohort_id}), 200),
        (api_schema["/completions"]["GET"].Case(query={"since": "2027-03-01", "per_page": 1}), 200),
    ]
    for case, status in cases:  # cases made by hand get no auth from the config
        response = case.call_and_validate(headers={"Authorization": f"Bearer {secret}"}, checks=CHECKS, timeout=10)
        assert response.status_code == status
