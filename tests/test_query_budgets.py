"""Query budgets for every page, discovered from the URL map, measured with realistic data.

Each GET page is opened by a user allowed to see it, once in a small world and once in a world with
three times as many courses, learners, enrolments, progress, attempts, certificates and cohort
members. The number of SQL queries must be the same in both (no query per row: an N+1 fails here) and
within the page's budget. A new page is covered automatically.
"""

from datetime import date

import pytest

from app.accounts import api_tokens
from app.accounts.models import Organisation
from app.certificates import bulk
from app.certificates import services as certificates
from app.certificates.models import Certificate
from app.cohorts.models import Cohort, CohortMember, RosterUpload
from app.content import importer
from app.content.models import Asset, Course
from app.content.package import read_folder
from app.extensions import db
from app.learning import services as learning
from app.quizzes import attempts
from app.quizzes.models import Quiz
from tests.content import packages
from tests.helpers import count_queries, submit
from tests.security.test_access_control import _url, allowed

pytestmark = pytest.mark.sqlite_only  # the query count is the app's; the engine does not change it

DEFAULT_BUDGET = 10
BUDGETS = {"learning.dashboard": 11}  # the dashboard also shows the learner's latest skills check result
# Who opens each page: the first allowed role in this order (sign-in pages: a visitor).
VIEWERS = ("learner", "trainer", "staff", "admin", "anonymous")
VISITOR_PAGES = {"accounts.login", "accounts.register", "accounts.reset_request", "accounts.reset_password",
                 "accounts.accept_invitation"}
SKIPPED = {"static", "pages.healthz", "pages.brand_stylesheet"}  # not pages: no database or a constant


def _course_files(number):
    course_md = packages.COURSE_MD.replace("title: Cyber hygiene", f"title: Course {number}")
    return packages.files(**{"course_dot_md": course_md})


def _build(tmp_path, make_user, scale):
    """Courses, learners with enrolments, progress, attempts and certificates, a cohort with members."""
    trainer = make_user(role="trainer", email=f"trainer{scale}@example.bg")
    staff = make_user(role="staff", email=f"staff{scale}@example.bg")
    admin = make_user(role="admin", email=f"admin{scale}@example.bg")
    organisations = [Organisation(name=f"Община {scale}-{n}", country="BG") for n in range(3 * scale)]
    db.session.add_all(organisations)
    folders = [packages.write_folder(tmp_path / f"w{scale}-{n}", slug=f"course-{scale}-{n}",
                                     contents=_course_files(n)) for n in range(3 * scale)]
    importer.import_packages([read_folder(folder) for folder in folders], user=trainer)
    courses = db.session.scalars(db.select(Course).where(Course.slug.like(f"course-{scale}-%"))).all()
    learners = [make_user(email=f"l{scale}-{n}@example.bg", organisation=organisations[n % len(organisations)])
                for n in range(10 * scale)]
    cohort = Cohort(name=f"Cohort {scale}", starts_on=date(2027, 1, 1), trainer_id=trainer.id, courses=courses)
    db.session.add(cohort)
    db.session.flush()
    for number, learner in enumerate(learners):
        db.session.add(CohortMember(cohort_id=cohort.id, user_id=learner.id))
        for course in courses if number == 0 else courses[: 1 + number % len(courses)]:  # the viewer: all
            learning.enrol(learner, course, check_prerequisites=False)
            learning.mark_complete(learner, course, "passwords")
        quiz = db.session.scalar(db.select(Quiz).where(Quiz.version_id == courses[0].current_version_id))
        attempts.start(learner.id, quiz)
        if number % 2 == 0:
            certificates.issue(learner, courses[0], courses[0].current_version, date.today())
    check, result = _skills_check(scale, courses[0].slug, learners)
    db.session.commit()
    return {"learner": learners[0], "trainer": trainer, "staff": staff, "admin": admin,
            "course": courses[0], "cohort": cohort, "organisation": organisations[0],
            "check": check, "result": result}


def _skills_check(scale, course_slug, learners):
    """A published skills check recommending the first course, with a kept result for every learner."""
    from app.skills import services as skills
    from app.skills.models import SkillsCheck
    from tests.skills.checks import CHECK_MD, package

    text = CHECK_MD.replace("Courses: cyber-hygiene", f"Courses: {course_slug}")
    importer.import_packages([package(text, name=f"check-{scale}")])
    check = db.session.scalar(db.select(SkillsCheck).where(SkillsCheck.slug == f"check-{scale}"))
    answers = {key: 1 + n % 4 for n, key in enumerate(skills.statement_keys(check.definition))}
    results = [skills.keep_result(learner, check, answers) for learner in learners]
    return check, results[0]


def _values(world):
    learner, course = world["learner"], world["course"]
    attempt = attempts.attempts_of(learner.id, db.session.scalar(
        db.select(Quiz).where(Quiz.version_id == course.current_version_id)))[0]
    upload = RosterUpload(cohort_id=world["cohort"].id, filename="x.csv", content=b"name,email\nA,a@x.bg\n")
    db.session.add(upload)
    job = bulk.start(course, world["staff"])
    token, _secret = api_tokens.create(world["staff"], "HR", "read")
    asset = db.session.scalar(db.select(Asset).where(Asset.version_id == course.current_version_id))
    db.session.commit()
    certificate = db.session.scalar(db.select(Certificate).where(Certificate.user_id == learner.id))
    return {"slug": course.slug, "lesson": "passwords", "quiz_slug": "check", "attempt_id": attempt.id,
            "code": certificate.code, "user_id": learner.id, "cohort_id": world["cohort"].id,
            "upload_id": upload.id, "job_id": job.id, "token_id": token.id,
            "organisation_id": world["organisation"].id, "number": 1, "filename": "01-passwords.md",
            "table": "course", "fmt": "csv", "token": "not-a-token", "digest": asset.sha256,
            "filename_asset": asset.path.rsplit("/", 1)[-1]}


def _counts(app, world, values):
    """{endpoint: (url, status, queries)} for every GET page, each opened by its first allowed viewer."""
    clients = {}
    counts = {}
    skills_values = {**values, "slug": world["check"].slug, "family": world["check"].slug,
                     "result_id": world["result"].id, "table": "organisations", "fmt": "csv"}
    engine = app.extensions["sqlalchemy"].engine
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.endpoint):
        if "GET" not in rule.methods or rule.endpoint in SKIPPED or rule.endpoint.startswith("api."):
            continue
        role = "anonymous" if rule.endpoint in VISITOR_PAGES else next(r for r in VIEWERS if allowed(rule.endpoint, r))
        if role not in clients:
            clients[role] = app.test_client()
            if role != "anonymous":
                submit(clients[role], "/account/login", {"email": world[role].email,
                                                         "password": "correct horse battery"})
        url = _url(app, rule, values if not rule.endpoint.startswith("skills.") else skills_values)
        with count_queries(engine) as counter:
            response = clients[role].get(url)
        counts[rule.endpoint] = (url, response.status_code, counter.count, counter.statements)
    return counts


def test_every_page_keeps_its_query_budget_whatever_the_data(app, tmp_path, make_user):
    """No page makes a query per course, learner or row: the count is the same with three times the
    data, and within the page's budget."""
    small = _build(tmp_path, make_user, 1)
    small_counts = _counts(app, small, _values(small))
    large = _build(tmp_path, make_user, 3)
    large_counts = _counts(app, large, _values(large))
    assert len(large_counts) > 45  # every page of the platform
    for endpoint, (url, status, count, statements) in large_counts.items():
        assert status < 500, (endpoint, url, status)
        budget = BUDGETS.get(endpoint, DEFAULT_BUDGET)
        assert count <= budget, (endpoint, url, count, statements)
        assert count == small_counts[endpoint][2], (endpoint, url, small_counts[endpoint][2], count, statements)
