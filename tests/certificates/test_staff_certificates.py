"""Staff certificate tools: the review queue (one, several, all), manual issue with reason, revocation."""

import pytest

from app.certificates import codes
from app.certificates.models import Certificate
from app.content import importer
from app.content.package import read_folder
from app.extensions import db
from app.learning.models import Completion
from tests.content import packages
from tests.helpers import submit


@pytest.fixture
def staff_client(app, tmp_path, make_user):
    front = packages.COURSE_MD.replace("  issue: auto\n", "  issue: staff\n")
    importer.import_packages([read_folder(packages.write_folder(
        tmp_path, contents=packages.files(course_dot_md=front, **{"03-check_dot_quiz_dot_md": None})))])
    db.session.commit()
    for n in range(3):
        learner = make_user(full_name=f"Learner {n}")
        client = app.test_client()
        submit(client, "/account/login", {"email": learner.email, "password": "correct horse battery"})
        for lesson in ("passwords", "phishing"):
            submit(client, f"/courses/cyber-hygiene/{lesson}/complete", {}, page=f"/courses/cyber-hygiene/{lesson}")
    client = app.test_client()
    submit(client, "/account/login", {"email": make_user(role="staff").email, "password": "correct horse battery"})
    return client


def _count():
    return db.session.scalar(db.select(db.func.count(Certificate.id)))


def test_queue_issues_selected_then_all(staff_client):
    """Staff issue for one learner, then for everyone left, from the review queue."""
    page = staff_client.get("/staff/certificates").get_data(as_text=True)
    assert "Learner 0" in page and "Learner 2" in page
    first = db.session.scalars(db.select(Completion.id)).first()
    submit(staff_client, "/staff/certificates", {"completion": str(first), "action": "selected"})
    assert _count() == 1
    submit(staff_client, "/staff/certificates", {"action": "all"})
    assert _count() == 3
    assert "No completed learner is waiting" in staff_client.get("/staff/certificates").get_data(as_text=True)
    submit(staff_client, "/staff/certificates", {"action": "all"})
    assert _count() == 3  # issuing again changes nothing


def test_forged_completion_ids_issue_nothing(staff_client):
    """Ids that are not in the queue (or not numbers) are ignored."""
    submit(staff_client, "/staff/certificates", {"completion": ["999999", "abc", "-1"], "action": "selected"})
    assert _count() == 0


def test_manual_issue_and_revoke(staff_client):
    """Staff issue by hand with a reason, then revoke with a reason shown on verification."""
    learner = db.session.scalar(db.select(Completion)).user_id
    from app.accounts.models import User

    email = db.session.get(User, learner).email
    response = submit(staff_client, "/staff/certificates/issue",
                      {"email": email, "course": "cyber-hygiene", "reason": "Paper exam passed"},
                      page="/staff/certificates")
    assert "issued" in staff_client.get(response.headers["Location"]).get_data(as_text=True)
    certificate = db.session.scalar(db.select(Certificate))
    assert certificate.reason == "Paper exam passed" and certificate.issued_by_id is not None
    submit(staff_client, "/staff/certificates/revoke",
           {"code": codes.formatted(certificate.code).lower(), "reason": "Issued to the wrong person"},
           page="/staff/certificates")
    db.session.expire_all()
    assert db.session.get(Certificate, certificate.id).state == "revoked"
    response = submit(staff_client, "/staff/certificates/revoke", {"code": "nope", "reason": "x"},
                      page="/staff/certificates")
    assert "No certificate has this code." in staff_client.get(response.headers["Location"]).get_data(as_text=True)


@pytest.mark.parametrize("role, status", [("learner", 403), ("trainer", 403)])
def test_only_staff_open_the_certificate_tools(app, make_user, role, status):
    """Learners and trainers cannot issue or revoke."""
    client = app.test_client()
    submit(client, "/account/login", {"email": make_user(role=role).email, "password": "correct horse battery"})
    assert client.get("/staff/certificates").status_code == status


@pytest.mark.parametrize("path, limit", [("/staff/certificates", 5), ("/staff/certificates/bulk", 4),
                                         ("/verify", 2)])
def test_staff_and_verify_pages_use_few_queries(app, staff_client, path, limit):
    """The certificate tools make a fixed number of queries whatever the size of the queue."""
    from tests.helpers import count_queries

    with count_queries(app.extensions["sqlalchemy"].engine) as counter:
        assert staff_client.get(path).status_code == 200
    assert counter.count <= limit, counter.statements


@pytest.mark.parametrize("fields", [
    {"email": "<script>alert(1)</script>", "course": "cyber-hygiene", "reason": "x"},
    {"email": "a@b.bg", "course": "' OR 1=1 --", "reason": "x"},
    {"email": "a@b.bg", "course": "cyber-hygiene", "reason": ""},
    {"email": "a@b.bg\r\nBcc: x@evil.example", "course": "cyber-hygiene", "reason": "x" * 5000},
])
def test_hostile_manual_issue_input_issues_nothing(staff_client, fields):
    """Bad or hostile input to the manual issue form gives a message and issues nothing."""
    response = submit(staff_client, "/staff/certificates/issue", fields, page="/staff/certificates")
    page = staff_client.get(response.headers["Location"]).get_data(as_text=True)
    assert "<script>alert(1)</script>" not in page and 'class="flash flash--error"' in page
    assert _count() == 0


@pytest.mark.parametrize("course", ["", "999999", "<b>x</b>", "1; DROP TABLE courses"])
def test_hostile_bulk_course_choice_starts_nothing(staff_client, course):
    """A course that is not in the list starts no job."""
    from app.certificates.models import BulkJob

    response = submit(staff_client, "/staff/certificates/bulk", {"course": course})
    assert response.headers["Location"].endswith("/staff/certificates/bulk")
    assert db.session.scalar(db.select(db.func.count(BulkJob.id))) == 0 and _count() == 0
