"""Access control for every route, discovered from the URL map (a new route without a rule here fails).

Each route is called with GET and POST (with a valid CSRF token, so the check under test is the
permission, not the token) as anonymous, a learner, another learner, the course's trainer, another
trainer, staff and an admin. Refused means: anonymous is sent to sign in (or gets 401 from the API),
everyone else gets 403 or 404 — never the page.

OWASP ASVS 5.0: V8.2.1 (function-level access), V8.2.2 (data-specific access: another learner's
attempt, certificate or PDF), V8.3.1 (enforced on the server), V4 (API: token, not cookie).
"""

from datetime import date

import pytest

from app.accounts import api_tokens
from app.certificates import bulk
from app.certificates import services as certificates
from app.cohorts.models import Cohort, CohortMember, RosterUpload
from app.content import importer
from app.content.models import Asset, Course
from app.content.package import read_folder
from app.extensions import db
from app.learning import services as learning
from app.quizzes import attempts
from app.quizzes.models import Quiz
from app.skills import services as skills
from app.skills.models import SkillsCheck
from tests.content import packages
from tests.helpers import csrf_token_from, submit
from tests.skills.checks import CHECK_MD
from tests.skills.checks import package as skills_package

pytestmark = pytest.mark.sqlite_only  # permissions do not depend on the engine; the rest of the suite runs both

ROLES = ("anonymous", "learner", "other_learner", "trainer", "other_trainer", "staff", "admin")

# Who may use each endpoint. Anything not listed fails test_every_route_has_a_rule.
PUBLIC = {"pages.accessibility", "pages.privacy", "pages.brand_stylesheet", "pages.healthz", "pages.set_language",
          "static",
          "content.catalogue", "content.asset", "learning.course", "learning.lesson",
          "certificates.verify_form", "certificates.verify", "certificates.api_status", "certificates.issuer",
          "certificates.status_list", "api.openapi_document",
          "accounts.login", "accounts.register", "accounts.reset_request", "accounts.reset_password",
          "accounts.accept_invitation",
          "accounts.logout",  # signing out when not signed in just goes home
          "skills.index", "skills.take", "skills.keep"}  # a visitor's "keep" is sent to sign in first
SIGNED_IN = {"learning.dashboard", "learning.enrol", "learning.leave", "learning.complete", "learning.incomplete",
             "accounts.profile", "accounts.change_password", "accounts.export_data", "quizzes.intro", "quizzes.start",
             "skills.pending"}
OWN_ERASURE = {"accounts.erase"}  # staff and admins are erased by another administrator
OWN_ATTEMPT = {"quizzes.attempt", "quizzes.check", "quizzes.review", "quizzes.save", "quizzes.submit"}
OWN_CERTIFICATE = {"certificates.certificate_pdf", "certificates.credential"}  # the holder and staff
OWN_SKILLS_RESULT = {"skills.result"}  # the learner alone: not even staff or admins
TRAINERS = {"studio.index", "studio.upload", "studio.essays", "cohorts.trainer_index"}
COURSE_EDITORS = {"studio.course", "studio.edit", "studio.publish", "studio.unpublish", "studio.download",
                  "studio.add_editor", "studio.remove_editor", "studio.import_bank", "studio.quiz_stats",
                  "studio.grade_essay"}
COHORT_TRAINER = {"cohorts.progress"}
ADMINS = {"staff.settings", "staff.change_role", "skills.needs_settings"}
STAFF_SKILLS = {"skills.needs_index", "skills.needs_report", "skills.needs_export"}
STAFF_ACCOUNT = {"accounts.create_api_token", "accounts.revoke_api_token"}
API = {"api.courses", "api.cohorts", "api.cohort", "api.enrolments", "api.completions", "api.enrol"}


def allowed(endpoint, role):
    """The roles that may use an endpoint (object-level rules included)."""
    if endpoint in PUBLIC:
        return True
    if endpoint in API:
        return False  # the API takes a token, never the session cookie (tests/api covers tokens)
    if endpoint in SIGNED_IN:
        return role != "anonymous"
    if endpoint in OWN_ERASURE:
        return role in ("learner", "other_learner", "trainer", "other_trainer")
    if endpoint in OWN_ATTEMPT:
        return role == "learner"
    if endpoint in OWN_CERTIFICATE:
        return role in ("learner", "staff", "admin")
    if endpoint in OWN_SKILLS_RESULT:
        return role == "learner"
    if endpoint in TRAINERS:
        return role in ("trainer", "other_trainer", "staff", "admin")
    if endpoint in COURSE_EDITORS:
        return role in ("trainer", "staff", "admin")
    if endpoint in COHORT_TRAINER:
        return role in ("trainer", "staff", "admin")
    if endpoint in ADMINS:
        return role == "admin"
    if endpoint in STAFF_ACCOUNT or endpoint in STAFF_SKILLS:
        return role in ("staff", "admin")
    if endpoint.startswith(("staff.", "cohorts.")):
        return role in ("staff", "admin")
    raise AssertionError(f"no access rule for {endpoint}")


@pytest.fixture
def world(app, tmp_path, make_user):
    """A course with an owner, a learner with an attempt and a certificate, a cohort, a job, an upload."""
    people = {role: make_user(role=role.replace("other_", ""), email=f"{role}@example.bg")
              for role in ROLES if role != "anonymous"}
    importer.import_packages([read_folder(packages.write_folder(tmp_path))], user=people["trainer"])
    course = db.session.scalar(db.select(Course))
    learning.enrol(people["learner"], course)
    quiz = db.session.scalar(db.select(Quiz))
    attempt = attempts.start(people["learner"].id, quiz)
    certificate = certificates.issue(people["learner"], course, course.current_version, date.today())
    cohort = Cohort(name="C", starts_on=date(2027, 1, 1), trainer_id=people["trainer"].id, courses=[course])
    db.session.add(cohort)
    db.session.flush()
    db.session.add(CohortMember(cohort_id=cohort.id, user_id=people["learner"].id))
    upload = RosterUpload(cohort_id=cohort.id, filename="x.csv", content=b"name,email\nA,a@x.bg\n")
    db.session.add(upload)
    job = bulk.start(course, people["staff"])
    token, _secret = api_tokens.create(people["staff"], "HR", "read")
    asset = db.session.scalar(db.select(Asset))
    importer.import_packages([skills_package(CHECK_MD)])
    check = db.session.scalar(db.select(SkillsCheck))
    result = skills.keep_result(people["learner"], check, {"1.2-1": 1, "1.2-2": 2, "4.1-1": 3, "4.1-2": 4})
    db.session.commit()
    values = {"slug": "cyber-hygiene", "lesson": "passwords", "quiz_slug": "check", "attempt_id": attempt.id,
              "code": certificate.code, "user_id": people["learner"].id, "cohort_id": cohort.id,
              "upload_id": upload.id, "job_id": job.id, "token_id": token.id, "organisation_id": 1,
              "number": 1, "filename": "01-passwords.md", "table": "course", "fmt": "csv",
              "token": "not-a-token", "digest": asset.sha256, "filename_asset": asset.path.rsplit("/", 1)[-1],
              "result_id": result.id, "family": "quick-check"}
    return people, values


def _url(app, rule, values):
    args = {name: values.get(name, 1) for name in rule.arguments}
    if rule.endpoint == "content.asset":
        args["filename"] = values["filename_asset"]
    if rule.endpoint == "static":
        args = {"filename": "css/academy.css"}
    return app.url_map.bind("localhost").build(rule.endpoint, args)


def _client(app, people, role):
    client = app.test_client()
    if role != "anonymous":
        submit(client, "/account/login", {"email": people[role].email, "password": "correct horse battery"})
    token = csrf_token_from(client.get("/account/login" if role == "anonymous" else "/account/profile")
                            .get_data(as_text=True))
    return client, token


def _refused(response, role):
    if role == "anonymous":
        return (response.status_code in (401, 403, 404)
                or (response.status_code == 302 and "/account/login" in response.headers.get("Location", "")))
    return response.status_code in (401, 403, 404)


def test_every_route_has_a_rule(app):
    for rule in app.url_map.iter_rules():
        for role in ROLES:
            allowed(rule.endpoint, role)  # raises for a route nobody thought about


@pytest.mark.parametrize("role", ROLES)
def test_refused_roles_never_get_the_page(app, world, role):
    """GET and POST to every route the role may not use are refused; nothing is done."""
    people, values = world
    client, token = _client(app, people, role)
    for rule in app.url_map.iter_rules():
        if allowed(rule.endpoint, role):
            continue
        url = _url(app, rule, values)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            data = {"csrf_token": token} if method == "POST" else None
            response = client.open(url, method=method, data=data)
            assert _refused(response, role), (role, method, url, response.status_code)


@pytest.mark.parametrize("role", [r for r in ROLES if r != "anonymous"])
def test_allowed_roles_get_in(app, world, role):
    """GET to every route the role may use is not refused (function-level access works both ways)."""
    people, values = world
    client, _token = _client(app, people, role)
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or not allowed(rule.endpoint, role) or rule.endpoint in PUBLIC:
            continue
        url = _url(app, rule, values)
        response = client.get(url)
        if rule.endpoint == "studio.grade_essay":
            continue  # an attempt in progress is not gradable: 404 whoever asks
        assert response.status_code not in (401, 403), (role, url, response.status_code)
        assert not (response.status_code == 302 and "/account/login" in response.headers.get("Location", "")), url
