"""Issuing, re-issuing, revoking and verifying certificates."""

from datetime import date, timedelta

import pytest
from sqlalchemy.exc import IntegrityError

from app.certificates import codes, services
from app.certificates.models import Certificate
from app.content import importer
from app.content.models import Course
from app.content.package import read_folder
from app.extensions import db
from tests.content import packages
from tests.helpers import count_queries, submit

NO_QUIZ = {"03-check_dot_quiz_dot_md": None}


def _course(tmp_path, certificate="  issue: auto\n  valid_months: 12\n", slug="cyber-hygiene"):
    front = packages.COURSE_MD.replace("certificate:\n  issue: auto\n  valid_months: 12\n",
                                       f"certificate:\n{certificate}")
    importer.import_packages([read_folder(packages.write_folder(tmp_path, slug,
                                                                 packages.files(course_dot_md=front, **NO_QUIZ)))])
    db.session.commit()
    return db.session.scalar(db.select(Course).where(Course.slug == slug))


def _complete(client, slug="cyber-hygiene"):
    for lesson in ("passwords", "phishing"):
        submit(client, f"/courses/{slug}/{lesson}/complete", {}, page=f"/courses/{slug}/{lesson}")


@pytest.fixture
def learner(make_user, login):
    user = make_user(full_name="Мария Иванова")
    login(user)
    return user


def test_completion_issues_a_certificate_automatically(app, client, tmp_path, learner):
    """With issue: auto, completing the course gives a certificate valid for valid_months."""
    _course(tmp_path)
    _complete(client)
    [certificate] = db.session.scalars(db.select(Certificate)).all()
    assert certificate.user_id == learner.id and certificate.learner_name == "Мария Иванова"
    assert certificate.state == "valid" and certificate.course_title == "Cyber hygiene" and certificate.hours == 2
    assert certificate.valid_until == services.add_months(certificate.completed_on, 12)


def test_staff_review_courses_wait_in_the_queue(app, client, tmp_path, learner, make_user):
    """With issue: staff, the completion waits for staff, who then issue it."""
    _course(tmp_path, certificate="  issue: staff\n")
    _complete(client)
    assert db.session.scalar(db.select(db.func.count(Certificate.id))) == 0
    [(completion, user, _version)] = services.awaiting_staff()
    assert user.id == learner.id
    services.issue_from_completion(completion, issued_by=make_user(role="staff"))
    db.session.commit()
    assert services.awaiting_staff() == []


def test_disabled_certificate_is_never_issued(app, client, tmp_path, learner):
    """enabled: false means no certificate, even by hand."""
    course = _course(tmp_path, certificate="  enabled: false\n")
    _complete(client)
    assert db.session.scalar(db.select(db.func.count(Certificate.id))) == 0
    with pytest.raises(services.CertificateError):
        services.issue(learner, course, course.current_version, date.today())


def test_reissue_supersedes_and_keeps_history(app, tmp_path, make_user):
    """After a name correction, re-issuing replaces the certificate; the old code says so."""
    course = _course(tmp_path)
    user = make_user(full_name="Maria Ivanva")
    staff = make_user(role="staff")
    first = services.issue(user, course, course.current_version, date.today())
    user.full_name = "Maria Ivanova"
    second = services.issue(user, course, course.current_version, date.today(), issued_by=staff,
                            reason="Name corrected")
    db.session.commit()
    assert first.state == "superseded" and first.superseded_by_id == second.id
    assert second.learner_name == "Maria Ivanova" and second.reason == "Name corrected"


def test_manual_issue_needs_a_reason(app, tmp_path, make_user):
    """Staff issuing by hand must say why (it is recorded)."""
    course = _course(tmp_path)
    with pytest.raises(services.CertificateError):
        services.issue(make_user(), course, course.current_version, date.today(), issued_by=make_user(role="staff"))


def test_database_allows_one_valid_certificate_per_version(app, tmp_path, make_user):
    """Even a bug that skips the service cannot create two valid certificates for one version."""
    course = _course(tmp_path)
    user = make_user()
    services.issue(user, course, course.current_version, date.today())
    db.session.commit()
    duplicate = Certificate(code=codes.new_code(), user_id=user.id, course_id=course.id,
                            version_id=course.current_version_id, learner_name="x", course_title="x",
                            language="en", hours=1, competences=[], completed_on=date.today())
    db.session.add(duplicate)
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()


def test_revocation_needs_a_reason_and_shows_on_verification(app, client, tmp_path, make_user):
    """A revoked certificate shows "Revoked" with the reason and date to anyone who checks it."""
    course = _course(tmp_path)
    certificate = services.issue(make_user(), course, course.current_version, date.today())
    with pytest.raises(services.CertificateError):
        services.revoke(certificate, "  ")
    services.revoke(certificate, "Issued by mistake")
    db.session.commit()
    page = client.get(f"/verify/{codes.formatted(certificate.code)}").get_data(as_text=True)
    assert "Revoked" in page and "Issued by mistake" in page
    assert client.get(f"/api/v1/certificates/{certificate.code}").get_json()["status"] == "revoked"


def test_verification_with_confusable_characters(app, client, tmp_path, make_user):
    """Someone without an account types the code in lower case with O for 0 and I for 1 and finds it."""
    course = _course(tmp_path)
    certificate = services.issue(make_user(full_name="Мария Иванова"), course, course.current_version, date.today())
    certificate.code = "0123ABCD1EFG0HJK1MNP"
    db.session.commit()
    response = client.get("/verify?code=o123-abcd-iefg-ohjk-lmnp")
    assert response.headers["Location"].endswith("/verify/0123-ABCD-1EFG-0HJK-1MNP")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Valid" in page and "Мария Иванова" in page and "Cyber hygiene" in page
    assert "@" not in page.split("<main")[1].split("</main>")[0]  # no e-mail address is shown


def test_expired_certificate(app, client, tmp_path, make_user):
    """After valid_until the page and the API say "expired"."""
    course = _course(tmp_path)
    certificate = services.issue(make_user(), course, course.current_version, date.today() - timedelta(days=800))
    db.session.commit()
    assert certificate.valid_until < date.today()
    assert "Expired" in client.get(f"/verify/{certificate.code}").get_data(as_text=True)
    assert client.get(f"/api/v1/certificates/{certificate.code}").get_json()["status"] == "expired"


@pytest.mark.parametrize("typed", ["nonsense", "<script>alert(1)</script>", "' OR 1=1 --", "Z" * 20])
def test_unknown_and_hostile_codes(app, client, typed):
    """Unknown or hostile codes give a calm "not found" or "check the code" page, never an error."""
    response = client.get("/verify", query_string={"code": typed})
    assert response.status_code in (200, 302)
    page = client.get(f"/verify/{typed}").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in page
    api = client.get(f"/api/v1/certificates/{typed}")
    assert api.status_code == 404 and "<script>alert(1)</script>" not in api.get_data(as_text=True)


def test_verification_is_rate_limited(app, client):
    """Guessing codes at speed is throttled."""
    app.config["VERIFY_RATE_LIMIT"] = "5 per minute"
    statuses = [client.get("/verify/AAAA-AAAA-AAAA-AAAA-AAAA").status_code for _ in range(6)]
    assert statuses[-1] == 429


def test_expiring_certificates_are_found_once(app, tmp_path, make_user):
    """Certificates expiring within 30 days are listed for the reminder until it has been sent."""
    course = _course(tmp_path)
    certificate = services.issue(make_user(), course, course.current_version,
                                 services.add_months(date.today(), -12) + timedelta(days=20))
    db.session.commit()
    assert services.expiring() == [certificate]


def test_verify_page_uses_few_queries(app, client, tmp_path, make_user):
    """Verification costs one query."""
    course = _course(tmp_path)
    certificate = services.issue(make_user(), course, course.current_version, date.today())
    db.session.commit()
    with count_queries(app.extensions["sqlalchemy"].engine) as counter:
        client.get(f"/verify/{certificate.code}")
    assert counter.count <= 2, counter.statements


def test_cli_issue_revoke_and_reminders(app, runner, client, tmp_path, learner, outbox):
    """`flask certificates issue|revoke|send-expiry-notices` work and explain mistakes."""
    _course(tmp_path, certificate="  issue: staff\n  valid_months: 1\n")
    _complete(client)
    result = runner.invoke(args=["certificates", "issue", "--email", learner.email, "--course", "cyber-hygiene"])
    assert result.exit_code == 0, result.output
    code = result.output.split()[1]
    assert runner.invoke(args=["certificates", "issue", "--email", "x@y.bg", "--course", "nope"]).exit_code == 1
    result = runner.invoke(args=["certificates", "send-expiry-notices"])
    assert "Sent 1 reminder(s)." in result.output and len(outbox) == 1
    assert "Cyber hygiene" in outbox[0].get_body(preferencelist=("plain",)).get_content()
    assert "Sent 0 reminder(s)." in runner.invoke(args=["certificates", "send-expiry-notices"]).output
    assert runner.invoke(args=["certificates", "revoke", code, "--reason", " "]).exit_code == 1
    assert runner.invoke(args=["certificates", "revoke", code.lower(), "--reason", "Fraud"]).exit_code == 0
    assert services.find(code).state == "revoked"


def test_dashboard_lists_certificates_and_what_to_renew(app, client, tmp_path, learner):
    """The learner sees their certificate with its code and a link, and is warned when it expires soon."""
    _course(tmp_path)
    _complete(client)
    certificate = db.session.scalar(db.select(Certificate))
    page = client.get("/dashboard").get_data(as_text=True)
    assert "My certificates" in page and codes.formatted(certificate.code) in page
    assert "Certificates to renew" not in page
    certificate.valid_until = date.today() + timedelta(days=10)
    db.session.commit()
    assert "Certificates to renew" in client.get("/dashboard").get_data(as_text=True)
