"""axe-core audit (WCAG 2.0/2.1, levels A and AA) of every page type, in both languages, as the right role.

A new page type gets a row in PAGES; a violation fails with the rule, the elements and the page.
"""

from urllib.parse import urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.browser.conftest import ADMIN, LANGUAGES, LEARNER, STAFF, TRAINER, screenshot, sign_in, use_language

WCAG_AA = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "resultTypes": ["violations"],  # every rule still runs; only the passes' details are left out (faster)
}


def _open_quiz(page):
    """Start (or continue) the learner's attempt at the cyber hygiene check: the quiz in progress."""
    page.goto("/courses/cyber-hygiene/quiz/check")
    with page.expect_navigation():
        page.click("main form[action$='/start'] button, main a[href*='/attempts/']")
    assert "/attempts/" in page.url


def _check_quiz(page):
    """Answer the first question and go to the check page before submitting."""
    _open_quiz(page)
    page.locator(".quiz-form input[type='radio']").first.check()
    with page.expect_navigation():
        page.click(".quiz-form button[value='check']")
    assert page.url.endswith("/check")


def _review_quiz(page):
    """Submit the attempt and land on its review."""
    _check_quiz(page)
    with page.expect_navigation():
        page.click("main form[action$='/submit'] button[type='submit']")
    assert page.url.endswith("/review")


def _reset_sent(page):
    page.goto("/account/reset")
    page.fill("input[name='email']", "nobody@example.org")
    with page.expect_navigation():
        page.click("main form button[type='submit']")


def _form_errors(path):
    """Send a form empty: the page comes back with the error summary and the fields marked invalid."""
    def open_with_errors(page):
        page.goto(path)
        with page.expect_navigation():
            page.click("main form button[type='submit']")
        assert page.locator(".error-summary").count() == 1, f"{path}: no error summary"
    return open_with_errors


def _upload_roster(data):
    """Upload a learner list to the demo cohort: a good one lands on the preview, a bad one on the errors."""
    def upload(page):
        page.goto("/staff/cohorts/1")
        page.set_input_files("input[name='roster']", files=[
            {"name": "learners.csv", "mimeType": "text/csv", "buffer": data}])
        with page.expect_navigation():
            page.click("main form[action$='/upload'] button[type='submit']")
    return upload


ROSTER = "Име и фамилия;Имейл;Организация\nНова Служителка;nova@plovdiv.example;\nЛош Адрес;not-an-address;\n"


def _with_app(live_server, work):
    """Run `work()` in the served app's context (to make a token or a job the page needs) and return its result."""
    from app.extensions import db

    with live_server.app.app_context():
        try:
            return work()
        finally:
            db.session.commit()
            db.session.remove()


def _account_token(purpose):
    """A page opened from an e-mail link: set your password (invitation) or choose a new one (reset)."""
    def open_link(page, live_server):
        from datetime import timedelta

        from app.accounts import services, tokens
        from app.accounts.models import find_user_by_email

        def make():
            email = f"{purpose}-{page.language}@plovdiv.example"
            user = find_user_by_email(email) or services.create_user(email, "Нов Служител", None)
            return tokens.issue_token(user, purpose, timedelta(hours=1))
        token = _with_app(live_server, make)
        path = "invitation" if purpose == "invitation" else "reset"
        response = page.goto(f"/account/{path}/{token}")
        assert response.status == 200
    return open_link


def _registration_closed(page, live_server):
    from app.accounts.settings import set_registration_mode

    _with_app(live_server, lambda: set_registration_mode("invitation"))
    try:
        page.goto("/account/register")
    finally:
        _with_app(live_server, lambda: set_registration_mode("open"))


def _bulk_job(page, live_server):
    from app.accounts.models import find_user_by_email
    from app.certificates import bulk
    from app.content.models import Course
    from app.extensions import db

    def make():
        course = db.session.scalar(db.select(Course).where(Course.slug == "kiberhigiena"))
        return bulk.start(course, find_user_by_email(STAFF[0])).id
    page.goto(f"/staff/certificates/bulk/{_with_app(live_server, make)}")


ESSAY_QUIZ = """---
title: Reflection
pass_mark: 60
---

## Describe how you would report a phishing e-mail. {essay, points=4}

> Mention the IT contact and not deleting the message.
"""


def _essay_grading(page, live_server):
    """The trainer's grading page for an attempt with an essay (a small course made for it)."""
    import tempfile

    from app.accounts.models import find_user_by_email
    from app.content import importer
    from app.content.models import Course
    from app.content.package import read_folder
    from app.extensions import db
    from app.learning import services as learning
    from app.quizzes import attempts
    from app.quizzes.models import Attempt, Quiz
    from tests.content import packages

    def make():
        existing = db.session.scalar(db.select(Attempt).join(Quiz).where(Quiz.slug == "reflection"))
        if existing is not None:
            return existing.id
        files = packages.files(**{"03-check_dot_quiz_dot_md": None, "04-reflection_dot_quiz_dot_md": ESSAY_QUIZ,
                                   "course_dot_md": packages.COURSE_MD.replace("Cyber hygiene", "Essay practice")})
        folder = packages.write_folder(tempfile.mkdtemp(), slug="essay-practice", contents=files)
        importer.import_packages([read_folder(folder)], user=find_user_by_email(TRAINER[0]))
        course = db.session.scalar(db.select(Course).where(Course.slug == "essay-practice"))
        learner = find_user_by_email(LEARNER[0])
        learning.enrol(learner, course)
        attempt = attempts.start(learner.id, db.session.scalar(
            db.select(Quiz).where(Quiz.version_id == course.current_version_id)))
        attempts.save(attempt, {"0": "I forward it to the IT contact and keep the message."}, attempt.revision)
        attempts.finish(attempt)
        return attempt.id
    response = page.goto(f"/trainer/essays/{_with_app(live_server, make)}")
    assert response.status == 200


def _failed_upload(page):
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("broken/course.md", "---\ntitle: Broken\n---\n")
        archive.writestr("broken/01-lesson.md", "---\ntitle: Lesson\n---\n\n![](missing.png)\n")
    page.goto("/trainer/upload")
    page.set_input_files("input[name='package']", files=[
        {"name": "broken.zip", "mimeType": "application/zip", "buffer": buffer.getvalue()}])
    with page.expect_navigation():
        page.click("main form button[type='submit']")
    assert page.locator(".error-summary").count() == 1


def _skills_result(page):
    """Answer every statement of the shipped skills check and see the result (nothing is stored)."""
    page.goto("/skills/skills-check-public-servants")
    for statement in page.locator(".skills-form fieldset").all():
        statement.locator("input[type='radio']").nth(1).check()
    with page.expect_navigation():
        page.click(".skills-form button[type='submit']")
    assert page.locator("#profile-title").count() == 1


def _skills_kept(page):
    """Keep the result: the learner's own page of a kept result, with the change since last time."""
    _skills_result(page)
    with page.expect_navigation():
        page.click("main form[action$='/keep'] button[type='submit']")
    assert "/skills/results/" in page.url


def _verify_result(page, live_server):
    page.goto(f"/verify/{live_server.certificate_code}")


def _server(action):
    """Mark an action that needs the live server (to prepare data in its app)."""
    action.needs_server = True
    return action


# name: (account or None, path or action, expected HTTP status of the audited page or None)
PAGES = {
    "catalogue": (None, "/", 200),
    "catalogue-learner": (LEARNER, "/", 200),
    "course": (LEARNER, "/courses/cyber-hygiene", 200),
    "course-bg": (LEARNER, "/courses/kiberhigiena", 200),
    "course-anonymous": (None, "/courses/cyber-hygiene", 200),
    "lesson": (LEARNER, "/courses/cyber-hygiene/passwords", 200),
    "lesson-images": (LEARNER, "/courses/cyber-hygiene/phishing", 200),
    "lesson-bg": (LEARNER, "/courses/kiberhigiena/passwords", 200),
    "lesson-code": (None, "/courses/open-services/open-data", 200),
    "lesson-code-bg": (None, "/courses/otvoreni-uslugi/mims", 200),
    "quiz-intro": (LEARNER, "/courses/cyber-hygiene/quiz/check", 200),
    "quiz-in-progress": (LEARNER, _open_quiz, None),
    "quiz-check": (LEARNER, _check_quiz, None),
    "quiz-review": (LEARNER, _review_quiz, None),
    "dashboard": (LEARNER, "/dashboard", 200),
    "login": (None, "/account/login", 200),
    "register": (None, "/account/register", 200),
    "register-errors": (None, _form_errors("/account/register"), None),
    "login-errors": (None, _form_errors("/account/login"), None),
    "change-password-errors": (LEARNER, _form_errors("/account/password"), None),
    "reset": (None, "/account/reset", 200),
    "reset-sent": (None, _reset_sent, None),
    "link-invalid": (None, "/account/reset/not-a-token", 404),
    "profile": (LEARNER, "/account/profile", 200),
    "change-password": (LEARNER, "/account/password", 200),
    "verify-form": (None, "/verify", 200),
    "verify-result": (None, _verify_result, None),
    "verify-unknown": (None, lambda page: page.goto("/verify/ABCD-EFGH-JKMN"), None),
    "studio": (TRAINER, "/trainer/", 200),
    "studio-upload": (TRAINER, "/trainer/upload", 200),
    "studio-course": (TRAINER, "/trainer/courses/cyber-hygiene", 200),
    "studio-editor": (TRAINER, "/trainer/courses/cyber-hygiene/edit/01-passwords.md", 200),
    "studio-essays": (TRAINER, "/trainer/essays", 200),
    "studio-essay-grading": (TRAINER, _server(_essay_grading), None),
    "studio-quiz-stats": (TRAINER, "/trainer/courses/cyber-hygiene/quizzes/check/stats", 200),
    "staff-certificates": (STAFF, "/staff/certificates", 200),
    "staff-bulk": (STAFF, "/staff/certificates/bulk", 200),
    "admin-settings": (ADMIN, "/staff/settings", 200),
    "staff-overview": (STAFF, "/staff/", 200),
    "staff-reports": (STAFF, "/staff/reports", 200),
    "staff-reports-errors": (STAFF, lambda page: page.goto("/staff/reports?from=2027-13-45"), None),
    "staff-people": (STAFF, "/staff/people", 200),
    "staff-person": (ADMIN, "/staff/people/1", 200),
    "staff-organisations": (STAFF, "/staff/organisations", 200),
    "staff-organisation": (STAFF, "/staff/organisations/1", 200),
    "staff-audit": (STAFF, "/staff/audit", 200),
    "staff-profile-tokens": (STAFF, "/account/profile", 200),
    "cohorts": (STAFF, "/staff/cohorts", 200),
    "cohort": (STAFF, "/staff/cohorts/1", 200),
    "cohort-edit": (STAFF, "/staff/cohorts/1/edit", 200),
    "cohort-new-errors": (STAFF, _form_errors("/staff/cohorts/new"), None),
    "cohort-preview": (STAFF, _upload_roster(ROSTER.encode("utf-8-sig")), None),
    "cohort-upload-errors": (STAFF, _upload_roster(b"first;second\na;b\n"), None),
    "staff-bulk-cohort": (STAFF, lambda page: page.goto("/staff/certificates/bulk?cohort=1"), None),
    "trainer-cohorts": (TRAINER, "/trainer/cohorts", 200),
    "cohort-matrix": (TRAINER, "/trainer/cohorts/1", 200),
    "skills-list": (None, "/skills", 200),
    "skills-list-learner": (LEARNER, "/skills", 200),
    "skills-check": (None, "/skills/skills-check-public-servants", 200),
    "skills-check-bg": (None, "/skills/proverka-na-umeniyata", 200),
    "skills-check-errors": (None, _form_errors("/skills/skills-check-public-servants"), None),
    "skills-result": (None, _skills_result, None),
    "skills-result-kept": (LEARNER, _skills_kept, None),
    "staff-skills-needs": (STAFF, "/staff/skills/skills-check-public-servants", 200),
    "admin-skills-needs": (ADMIN, lambda page: page.goto("/staff/skills/skills-check-public-servants?group=none"),
                           None),
    "accessibility-statement": (None, "/accessibility", 200),
    "privacy-notice": (None, "/privacy", 200),
    "erase-account": (LEARNER, "/account/erase", 200),
    "erase-account-errors": (LEARNER, _form_errors("/account/erase"), None),
    "staff-erase-person": (STAFF, "/staff/people/1/erase", 200),
    "accept-invitation": (None, _server(_account_token("invitation")), None),
    "reset-with-token": (None, _server(_account_token("reset")), None),
    "registration-closed": (None, _server(_registration_closed), None),
    "staff-bulk-job": (STAFF, _server(_bulk_job), None),
    "studio-upload-errors": (TRAINER, _failed_upload, None),
    "error-404": (None, "/no-such-page", 404),
    "error-403": (LEARNER, "/staff/settings", 403),
    "error-429": (None, "/test-only/error/429", 429),
    "error-500": (None, "/test-only/error/500", 500),
    "error-503": (None, "/test-only/error/503", 503),
    "error-413": (None, "/test-only/error/413", 413),
}


def _describe(violations, url):
    lines = [f"{len(violations)} accessibility violation(s) on {url}:"]
    for violation in violations:
        lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']}")
        for node in violation["nodes"]:
            lines.append(f"    {' '.join(map(str, node['target']))}")
            summary = (node.get("failureSummary") or "").replace("\n", " ")
            if summary:
                lines.append(f"      {summary[:300]}")
    return "\n".join(lines)


@pytest.fixture(scope="module")
def axe():
    return Axe()


@pytest.mark.parametrize("name", list(PAGES))
@pytest.mark.parametrize("page", LANGUAGES, indirect=True)  # one language after the other
def test_page_has_no_wcag_violations(name, page, live_server, axe):
    account, target, status = PAGES[name]
    if account is not None:
        sign_in(page, *account)
    if callable(target):
        (target(page, live_server) if getattr(target, "needs_server", False) or target is _verify_result
         else target(page))
    else:
        response = page.goto(target)
        assert response.status == status, f"{target} answered {response.status}, expected {status}"
        assert urlsplit(page.url).path == target, f"{target} ended on {page.url} (not signed in?)"
    use_language(page)
    results = axe.run(page, options=WCAG_AA)
    violations = results.response["violations"]
    if violations:
        screenshot(page, f"axe-{name}-{page.language}")
    assert not violations, _describe(violations, page.url)
