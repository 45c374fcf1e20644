"""What the API returns: courses, cohorts, enrolments and completions, pages, filters and enrolling."""

from datetime import date

import pytest

from app.audit import AuditEvent
from app.certificates import services as certificates
from app.extensions import db
from app.learning.models import Enrolment
from tests.api.conftest import API, bearer
from tests.helpers import count_queries


@pytest.fixture
def get(client, read_secret):
    """get(path, **params): a GET with a read-only token; returns the response."""

    def do(path, **params):
        return client.get(API + path, query_string=params, headers=bearer(read_secret))

    return do


@pytest.fixture
def post(client, write_secret):
    """post(body): enrol through the API with a read-and-write token."""

    def do(body, **kwargs):
        return client.post(f"{API}/enrolments", json=body, headers=bearer(write_secret), **kwargs)

    return do


def test_courses_lists_published_courses_with_catalogue_data(get, school):
    """Only published courses, by slug, with the data other systems need."""
    body = get("/courses").get_json()
    assert [course["slug"] for course in body["items"]] == ["cyber-hygiene", "kiberhigiena"]
    assert body["items"][1] == {
        "slug": "kiberhigiena", "title": "Киберхигиена", "language": "bg", "summary": "About kiberhigiena.",
        "hours": 2.5, "level": "beginner", "competences": ["4.2 Protecting personal data and privacy"],
        "prerequisites": [], "translation_of": "cyber-hygiene", "version": 1, "published_at": "2027-01-05T09:00:00Z",
    }
    assert (body["page"], body["per_page"], body["total"], body["next"]) == (1, 50, 2, None)


def test_cohorts_list_and_detail(get, school, organisation):
    """Cohorts come newest first with member counts; one cohort lists its members."""
    body = get("/cohorts").get_json()
    assert [(c["name"], c["member_count"]) for c in body["items"]] == [("Varna, May", 1), ("Plovdiv, March", 2)]
    cohort = get(f"/cohorts/{school['cohort'].id}").get_json()
    assert cohort["courses"] == ["cyber-hygiene"]
    assert cohort["trainer"] == {"email": "trainer@hub.example", "name": "Tina Trainer"}
    assert (cohort["starts_on"], cohort["ends_on"]) == ("2027-03-01", "2027-04-30")
    assert cohort["organisation"]["name"] == organisation.name
    assert [(m["email"], m["name"]) for m in cohort["members"]] == [
        ("ana@plovdiv.bg", "Ана Иванова"), ("ben@plovdiv.bg", "Ben Petrov")]
    assert cohort["members"][0]["organisation"] == {"id": organisation.id, "name": organisation.name,
                                                     "kind": "municipality", "country": "BG"}
    assert cohort["members"][1]["organisation"] is None


def test_unknown_cohort_is_404(get, school):
    """A cohort id that does not exist gives a JSON 404 naming it."""
    response = get("/cohorts/424242")
    assert response.status_code == 404
    assert response.get_json() == {"error": {"status": 404, "message": "No cohort has the id 424242."}}
    assert get("/cohorts/99999999999999999999").status_code == 404


def test_enrolments_filtered_by_course_cohort_and_email(get, school):
    """Each filter narrows the list; the cohort filter means its members on its courses."""
    everything = get("/enrolments").get_json()
    assert everything["total"] == 4
    first = everything["items"][0]
    assert first["learner"]["email"] == "ana@plovdiv.bg" and first["course"] == "cyber-hygiene"
    assert (first["state"], first["version"], first["withdrawn_at"]) == ("active", 1, None)
    assert first["enrolled_at"].endswith("Z")
    assert get("/enrolments", course="kiberhigiena").get_json()["total"] == 1
    cohort = get("/enrolments", cohort=school["cohort"].id).get_json()
    assert sorted((e["learner"]["email"], e["course"]) for e in cohort["items"]) == [
        ("ana@plovdiv.bg", "cyber-hygiene"), ("ben@plovdiv.bg", "cyber-hygiene")]
    assert get("/enrolments", email="EVE@varna.bg").get_json()["items"][0]["learner"]["name"] == "Eve Georgieva"
    assert get("/enrolments", email="nobody@x.bg").get_json()["total"] == 0


def test_pagination_gives_totals_and_the_next_page(get, school):
    """per_page splits the list; `next` leads on with the same filters until the last page."""
    first = get("/enrolments", per_page=3, course="cyber-hygiene").get_json()
    assert (len(first["items"]), first["total"]) == (3, 3)
    assert first["next"] is None
    first = get("/enrolments", per_page=2).get_json()
    assert first["next"] == "/api/v1/enrolments?per_page=2&page=2"
    second = get("/enrolments", per_page=2, page=2).get_json()
    assert second["next"] is None and len(second["items"]) == 2
    ids = [e["id"] for e in first["items"] + second["items"]]
    assert len(set(ids)) == 4
    assert get("/enrolments", page=9).get_json()["items"] == []


def test_completions_since_a_date_with_certificates(get, school):
    """Completions since a day, oldest first, with the certificate code and status when issued."""
    ana, hygiene = school["ana"], school["hygiene"]
    certificate = certificates.issue(ana, hygiene, hygiene.current_version, date(2027, 3, 20))
    db.session.commit()
    body = get("/completions").get_json()
    assert [c["learner"]["email"] for c in body["items"]] == ["eve@varna.bg", "ana@plovdiv.bg"]
    recent = get("/completions", since="2027-03-01").get_json()
    [item] = recent["items"]
    assert item["completed_at"] == "2027-03-20T10:00:00Z" and item["course"] == "cyber-hygiene"
    assert item["certificate"]["status"] == "valid"
    assert item["certificate"]["code"].replace("-", "") == certificate.code
    assert body["items"][0]["certificate"] is None
    assert get("/completions", since="2027-03-21").get_json()["total"] == 0
    assert get("/completions", course="kiberhigiena").get_json()["total"] == 0
    assert get("/completions", cohort=school["cohort"].id).get_json()["total"] == 1


@pytest.mark.parametrize("path, params, parameter", [
    ("/courses", {"page": "0"}, "page"),
    ("/cohorts", {"page": "abc"}, "page"),
    ("/enrolments", {"per_page": "201"}, "per_page"),
    ("/enrolments", {"per_page": "-1"}, "per_page"),
    ("/enrolments", {"page": "1.5"}, "page"),
    ("/enrolments", {"page": "99999999999999999999"}, "page"),
    ("/enrolments", {"cohort": "x"}, "cohort"),
    ("/enrolments", {"course": "Not A Slug"}, "course"),
    ("/enrolments", {"email": ""}, "email"),
    ("/completions", {"since": "2027-02-30"}, "since"),
    ("/completions", {"since": "20270201"}, "since"),
    ("/completions", {"since": "yesterday"}, "since"),
])
def test_bad_parameters_are_400_with_a_clear_message(get, path, params, parameter):
    """A malformed query parameter is named in a JSON 400, before anything is looked up."""
    response = get(path, **params)
    assert response.status_code == 400
    error = response.get_json()["error"]
    assert error["parameter"] == parameter and f"'{parameter}'" in error["message"]


@pytest.mark.parametrize("path", ["/enrolments", "/completions"])
def test_unknown_course_or_cohort_filter_is_404(get, school, path):
    """Filtering by a course or cohort that does not exist says so instead of an empty list."""
    response = get(path, course="no-such-course")
    assert response.status_code == 404 and "no-such-course" in response.get_json()["error"]["message"]
    assert get(path, cohort=424242).status_code == 404


def test_lists_cost_a_fixed_number_of_queries(app, get, school, make_user, enrol, make_cohort):
    """No query per row: a page of many rows costs what a page of a few does."""
    engine = app.extensions["sqlalchemy"].engine
    paths = ["/courses", "/cohorts", f"/cohorts/{school['cohort'].id}", "/enrolments", "/completions"]
    get("/courses")  # the token's first use of the minute also writes last_used_at
    before = {}
    for path in paths:
        with count_queries(engine) as counter:
            assert get(path).status_code == 200
        before[path] = counter.count
    learners = [make_user() for _ in range(6)]
    for learner in learners:
        enrol(learner, school["bg"])
    make_cohort("More", courses=[school["bg"]], members=learners)
    for path in paths:
        with count_queries(engine) as counter:
            assert get(path).status_code == 200
        assert counter.count == before[path] <= 6, (path, counter.statements)


def test_enrolling_creates_an_enrolment_and_audits_it(post, school, staff):
    """A write token enrols a learner (201), recorded in the audit log as done through the API."""
    response = post({"email": "BEN@plovdiv.bg", "course": "kiberhigiena"})
    assert response.status_code == 201
    body = response.get_json()
    assert (body["learner"]["email"], body["course"], body["state"]) == ("ben@plovdiv.bg", "kiberhigiena", "active")
    enrolment = db.session.get(Enrolment, body["id"])
    assert enrolment.enrolled_by_id == staff.id
    [event] = db.session.scalars(db.select(AuditEvent).where(AuditEvent.action == "enrolment.created")).all()
    assert (event.actor_id, event.target_id, event.origin) == (staff.id, school["ben"].id, "api")
    assert event.details["course"] == "kiberhigiena"


def test_enrolling_again_is_200_and_changes_nothing(post, school):
    """An existing active enrolment is returned as it is, without a new audit entry."""
    response = post({"email": "ana@plovdiv.bg", "course": "cyber-hygiene"})
    assert response.status_code == 200 and response.get_json()["state"] == "active"
    assert db.session.scalar(db.select(db.func.count(AuditEvent.id)).where(
        AuditEvent.action == "enrolment.created")) == 0


def test_a_withdrawn_learner_is_enrolled_again(post, school):
    """Re-enrolling after withdrawing reactivates the enrolment (201)."""
    enrolment = db.session.scalar(db.select(Enrolment).where(Enrolment.user_id == school["eve"].id))
    enrolment.state = "withdrawn"
    db.session.commit()
    response = post({"email": "eve@varna.bg", "course": "cyber-hygiene"})
    assert response.status_code == 201 and response.get_json()["id"] == enrolment.id


@pytest.mark.parametrize("body, status, field", [
    ({"email": "nobody@plovdiv.bg", "course": "cyber-hygiene"}, 404, "email"),
    ({"email": "ben@plovdiv.bg", "course": "no-such-course"}, 404, "course"),
])
def test_enrolling_unknown_learner_or_course_is_404(post, school, body, status, field):
    """An unknown learner or course is a 404 naming the field."""
    response = post(body)
    assert response.status_code == status and response.get_json()["error"]["field"] == field
    assert db.session.scalar(db.select(db.func.count(Enrolment.id))) == 4


def test_enrolling_on_a_draft_or_a_deactivated_account_is_409(post, school):
    """Rules of the platform answer 409 with the reason."""
    response = post({"email": "ben@plovdiv.bg", "course": "draft-course"})
    assert response.status_code == 409
    assert response.get_json()["error"]["message"] == "This course is not open for enrolment."
    school["ben"].active = False
    db.session.commit()
    response = post({"email": "ben@plovdiv.bg", "course": "kiberhigiena"})
    assert response.status_code == 409 and "deactivated" in response.get_json()["error"]["message"]


@pytest.mark.parametrize("body, fields", [
    ({}, {"email": "This field is required.", "course": "This field is required."}),
    ({"email": "ben@plovdiv.bg"}, {"course": "This field is required."}),
    ({"email": 42, "course": "cyber-hygiene"}, {"email": "Give the learner's e-mail address as a string."}),
    ({"email": "ben", "course": "cyber-hygiene"}, {"email": "Give an e-mail address like name@example.bg "
                                                             "(at most 254 characters)."}),
    ({"email": "ben\x00@plovdiv.bg", "course": "cyber-hygiene"}, {"email": "Give an e-mail address like "
                                                                         "name@example.bg (at most 254 characters)."}),
    ({"email": "ben@plovdiv.bg", "course": "Cyber Hygiene"},
     {"course": "Give the course's slug: lower-case letters, digits and hyphens."}),
    ({"email": "ben@plovdiv.bg", "course": "cyber-hygiene", "role": "admin"}, {"role": "Unknown field."}),
])
def test_enrolment_body_is_checked_field_by_field(post, school, body, fields):
    """A 422 lists every problem by field."""
    response = post(body)
    assert response.status_code == 422
    assert response.get_json()["error"]["fields"] == fields


def test_enrolment_body_with_a_lone_surrogate_is_422(client, write_secret, school):
    """Text no database can store is refused as invalid rather than failing on the server."""
    response = client.post(f"{API}/enrolments", data='{"email": "ben\\ud800@plovdiv.bg", "course": "cyber-hygiene"}',
                           headers=bearer(write_secret), content_type="application/json")
    assert response.status_code == 422 and "email" in response.get_json()["error"]["fields"]


def test_enrolment_body_must_be_a_json_object(client, write_secret, school):
    """Not JSON: 415; broken JSON: 400; JSON but not an object: 422."""
    headers = bearer(write_secret)
    url = f"{API}/enrolments"
    assert client.post(url, data="email=a", headers=headers).status_code == 415
    broken = client.post(url, data="{", headers=headers, content_type="application/json")
    assert broken.status_code == 400 and broken.get_json()["error"]["message"] == "The body is not valid JSON."
    assert client.post(url, json=["ben@plovdiv.bg"], headers=headers).status_code == 422
    assert client.post(url, data="null", headers=headers, content_type="application/json").status_code == 422
    huge = client.post(url, data="[" * 20_000, headers=headers, content_type="application/json")
    assert huge.status_code == 413


@pytest.mark.parametrize("method, path, status, header", [
    ("GET", "/nothing-here", 404, None),
    ("DELETE", "/courses", 405, "Allow"),
    ("PUT", "/enrolments", 405, "Allow"),
])
def test_routing_errors_under_the_api_are_json(client, write_secret, method, path, status, header):
    """Unknown addresses and methods answer JSON, never the HTML error page."""
    response = client.open(API + path, method=method, headers=bearer(write_secret))
    assert response.status_code == status and response.mimetype == "application/json"
    assert response.get_json()["error"]["status"] == status
    if header:
        assert "GET" in response.headers[header]


def test_nul_bytes_and_server_errors_are_json(app, client, write_secret, monkeypatch):
    """A NUL byte (400) and an unexpected failure (500) are JSON errors too."""
    response = client.get(f"{API}/enrolments?email=a%00b", headers=bearer(write_secret))
    assert response.status_code == 400 and response.get_json()["error"]["status"] == 400

    def broken(*args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr("app.api.queries.published_courses", broken)
    response = client.get(f"{API}/courses", headers=bearer(write_secret))
    assert response.status_code == 500
    assert response.get_json()["error"]["message"].startswith("Something went wrong on our side.")


def test_api_answers_are_not_cached(get, school):
    """Personal data is never stored by caches on the way."""
    assert get("/enrolments").headers["Cache-Control"] == "no-store"


def test_rate_limit_answers_json(app, get):
    """Past the per-address limit the API answers a JSON 429."""
    app.config["API_RATE_LIMIT"] = "2 per minute"
    assert get("/courses").status_code == 200
    assert get("/courses").status_code == 200
    response = get("/courses")
    assert response.status_code == 429
    assert response.get_json()["error"]["message"].startswith("Too many requests.")
