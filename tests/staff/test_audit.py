"""The audit log records every staff and admin action with who, when, what and from where; it cannot be edited."""

from datetime import timedelta

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DatabaseError

from app import audit
from app.audit import AuditEvent
from app.certificates.models import Certificate
from app.content import importer
from app.content.models import Course
from app.content.package import read_folder
from app.extensions import db
from app.learning import services as learning
from app.timeutil import utcnow
from tests.content import packages
from tests.helpers import count_queries, submit


def _actions():
    db.session.expire_all()
    return [(e.action, e.actor_email, e.target_label)
            for e in db.session.scalars(db.select(AuditEvent).order_by(AuditEvent.id))]


@pytest.fixture
def course(app, tmp_path):
    importer.import_packages([read_folder(packages.write_folder(
        tmp_path, contents=packages.files(**{"03-check_dot_quiz_dot_md": None})))])
    db.session.commit()
    return db.session.scalar(db.select(Course))


def test_certificate_issue_reissue_and_revoke_are_recorded(app, client, login, make_user, course):
    staff = make_user(role="staff", email="officer@hub.bg")
    learner = make_user(email="clerk@plovdiv.bg")
    learner_client = app.test_client()
    submit(learner_client, "/account/login", {"email": learner.email, "password": "correct horse battery"})
    for lesson in ("passwords", "phishing"):
        submit(learner_client, f"/courses/cyber-hygiene/{lesson}/complete", {}, page=f"/courses/cyber-hygiene/{lesson}")
    assert _actions() == []  # the automatic certificate is not a staff action

    login(staff)
    submit(client, "/staff/certificates/issue",
           {"email": learner.email, "course": "cyber-hygiene", "reason": "Name corrected"}, page="/staff/certificates")
    current = db.session.scalar(db.select(Certificate).where(Certificate.state == "valid"))
    submit(client, "/staff/certificates/revoke", {"code": current.code, "reason": "Wrong person"},
           page="/staff/certificates")
    assert _actions() == [
        ("certificate.reissued", "officer@hub.bg", current.code),
        ("certificate.revoked", "officer@hub.bg", current.code),
    ]
    reissue = db.session.scalar(db.select(AuditEvent).where(AuditEvent.action == "certificate.reissued"))
    assert reissue.details == {"learner": "clerk@plovdiv.bg", "course": "cyber-hygiene", "reason": "Name corrected"}


def test_course_publishing_is_recorded(client, login, make_user, tmp_path):
    trainer = make_user(role="trainer", email="trainer@hub.bg")
    importer.import_packages([read_folder(packages.write_folder(tmp_path))], draft=True, user=trainer)
    db.session.commit()
    login(trainer)
    submit(client, "/trainer/courses/cyber-hygiene/publish/1", {}, page="/trainer/courses/cyber-hygiene")
    submit(client, "/trainer/courses/cyber-hygiene/unpublish", {}, page="/trainer/courses/cyber-hygiene")
    assert _actions() == [("course.published", "trainer@hub.bg", "cyber-hygiene"),
                          ("course.unpublished", "trainer@hub.bg", "cyber-hygiene")]


def test_enrolment_by_someone_else_is_recorded_but_self_enrolment_is_not(make_user, course):
    staff, learner = make_user(role="staff"), make_user()
    learning.enrol(learner, course)
    learning.enrol(make_user(), course, enrolled_by=staff)
    learning.enrol(learner, course, enrolled_by=staff)  # already enrolled: nothing happens
    db.session.commit()
    assert [action for action, _actor, _target in _actions()] == ["enrolment.created"]


def test_entries_cannot_be_changed_through_the_orm_or_sql(app, make_user):
    audit.record("user.deactivated", actor=make_user(role="staff"), label="someone")
    db.session.commit()
    entry = db.session.scalar(db.select(AuditEvent))
    entry.action = "user.reactivated"
    with pytest.raises(PermissionError):
        db.session.commit()
    db.session.rollback()
    db.session.delete(db.session.scalar(db.select(AuditEvent)))
    with pytest.raises(PermissionError):
        db.session.commit()
    db.session.rollback()
    with pytest.raises(DatabaseError, match="cannot be changed"):
        db.session.execute(text("UPDATE audit_events SET actor_email = 'forged@example.com'"))
    db.session.rollback()
    assert db.session.scalar(db.select(AuditEvent.actor_email)).startswith("staff")


def test_unknown_actions_are_refused(app):
    with pytest.raises(ValueError):
        audit.record("user.teleported")


def test_cli_actions_are_recorded_without_an_address(app, runner, make_user):
    user = make_user(email="someone@example.bg")
    result = runner.invoke(args=["users", "set-role", user.email, "trainer"])
    assert result.exit_code == 0, result.output
    entry = db.session.scalar(db.select(AuditEvent))
    assert (entry.action, entry.actor_id, entry.address, entry.origin) == ("user.role_changed", None, None, "cli")


def test_prune_deletes_only_old_entries(app, runner):
    audit.record("user.deactivated", label="old").at = utcnow() - timedelta(days=800)  # set before it is saved
    audit.record("user.deactivated", label="new")
    db.session.commit()
    result = runner.invoke(args=["audit", "prune", "--older-than", "365"])
    assert result.exit_code == 0 and "Deleted 1 audit log entries" in result.output
    assert runner.invoke(args=["audit", "prune", "--older-than", "2"]).exit_code != 0  # too short to be sensible
    assert [e.target_label for e in db.session.scalars(db.select(AuditEvent))] == ["new"]


@pytest.fixture
def logged_entries(app, make_user):
    staff = make_user(role="staff", email="officer@hub.bg")
    admin = make_user(role="admin", email="boss@hub.bg")
    for n in range(55):
        audit.record("user.role_changed", actor=admin, label=f"person{n}@example.bg", old="learner", new="trainer")
    audit.record("certificate.revoked", actor=staff, label="ABCD-EFGH", reason="<script>alert(1)</script>")
    db.session.commit()
    return staff


def test_staff_browse_and_filter_the_log(client, login, logged_entries):
    login(logged_entries)
    page = client.get("/staff/audit").get_data(as_text=True)
    assert "56 entries" in page and "Page 1 of 2" in page
    assert "Certificate revoked" in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    page = client.get("/staff/audit?action=certificate.revoked").get_data(as_text=True)
    assert "1 entry" in page and "ABCD-EFGH" in page
    page = client.get("/staff/audit?actor=BOSS@").get_data(as_text=True)
    assert "55 entries" in page
    page = client.get("/staff/audit?target=person7").get_data(as_text=True)
    assert "1 entry" in page
    tomorrow = (utcnow() + timedelta(days=1)).date().isoformat()
    assert "0 entries" in client.get(f"/staff/audit?from={tomorrow}").get_data(as_text=True)


@pytest.mark.parametrize("args", ["from=2027-13-45", "to=yesterday", "action=drop table", "page=abc",
                                  "actor=%25", "target=' OR 1=1 --"])
def test_bad_filters_never_break_the_page(client, login, logged_entries, args):
    login(logged_entries)
    response = client.get(f"/staff/audit?{args}")
    assert response.status_code == 200
    if "from=" in args or "to=" in args:
        assert "could not be read" in response.get_data(as_text=True)


def test_the_log_has_no_way_to_change_it(client, login, logged_entries):
    login(logged_entries)
    for method in ("post", "put", "delete"):
        assert getattr(client, method)("/staff/audit").status_code in (400, 405)
    rules = [rule for rule in client.application.url_map.iter_rules() if "audit" in rule.rule]
    assert [sorted(rule.methods - {"HEAD", "OPTIONS"}) for rule in rules] == [["GET"]]


def test_the_log_page_uses_few_queries(client, login, logged_entries):
    login(logged_entries)
    client.get("/staff/audit")
    with count_queries(db.engine) as counter:
        client.get("/staff/audit?action=user.role_changed")
    assert counter.count <= 5, counter.statements
