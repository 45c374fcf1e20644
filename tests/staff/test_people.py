"""Staff manage people and organisations; admins change roles; deactivation ends sessions at once."""

import pytest

from app.accounts.models import Organisation, User
from app.audit import AuditEvent
from app.extensions import db
from tests.helpers import count_queries, submit


def _entries(action):
    return db.session.scalars(db.select(AuditEvent).where(AuditEvent.action == action)).all()


def test_search_filters_people_by_text_organisation_role_and_status(client, login, make_user, organisation):
    login(make_user(role="staff"))
    make_user(full_name="Мария Иванова", organisation=organisation)
    make_user(full_name="Maria Smith", email="maria@example.eu")
    make_user(role="trainer", full_name="Петър Трайнер")
    invited = make_user(full_name="Invited Person", password=None)

    page = client.get("/staff/people?q=мария").get_data(as_text=True)
    assert "Мария Иванова" in page and "Maria Smith" not in page
    page = client.get("/staff/people?q=MARIA@EXAMPLE").get_data(as_text=True)
    assert "Maria Smith" in page and "Мария Иванова" not in page
    page = client.get(f"/staff/people?organisation={organisation.id}").get_data(as_text=True)
    assert "Мария Иванова" in page and "Maria Smith" not in page
    page = client.get("/staff/people?role=trainer").get_data(as_text=True)
    assert "Петър Трайнер" in page and "Мария Иванова" not in page
    page = client.get("/staff/people?status=invited").get_data(as_text=True)
    assert invited.full_name in page and "Мария Иванова" not in page


@pytest.mark.parametrize("query", ["%", "_", "' OR 1=1 --", "\\", "a%b_c", "<script>alert(1)</script>"])
def test_search_text_is_literal(client, login, make_user, query):
    """Wildcards and SQL metacharacters match themselves; nothing leaks or breaks."""
    login(make_user(role="staff"))
    make_user(full_name="Ordinary Name")
    response = client.get("/staff/people", query_string={"q": query, "organisation": "1 OR 1=1", "page": "-3"})
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Ordinary Name" not in page
    assert "<script>alert(1)</script>" not in page


def test_people_list_is_paginated_with_bounded_queries(client, login, make_user, organisation):
    staff = make_user(role="staff")
    login(staff)
    for n in range(60):
        db.session.add(User(email=f"p{n:02d}@example.bg", full_name=f"Person {n:02d}", organisation=organisation))
    db.session.commit()
    with count_queries(db.engine) as counter:
        first = client.get("/staff/people?role=learner").get_data(as_text=True)
    assert counter.count <= 6, counter.statements
    assert "Person 00" in first and "Person 59" not in first
    assert "60 people" in first and "Page 1 of 2" in first
    second = client.get("/staff/people?role=learner&page=2").get_data(as_text=True)
    assert "Person 59" in second


def test_admin_changes_a_role_and_it_is_audited(client, login, make_user):
    admin = make_user(role="admin")
    learner = make_user()
    login(admin)
    response = submit(client, f"/staff/people/{learner.id}/role", {"role": "trainer"},
                      page=f"/staff/people/{learner.id}")
    assert response.status_code == 302
    db.session.refresh(learner)
    assert learner.role == "trainer"
    (entry,) = _entries("user.role_changed")
    assert (entry.actor_id, entry.target_id, entry.details) == (admin.id, learner.id,
                                                                {"old": "learner", "new": "trainer"})
    assert entry.address == "127.0.0.1" and entry.origin == "web"


def test_staff_cannot_change_roles(client, login, make_user):
    login(make_user(role="staff"))
    learner = make_user()
    page = client.get(f"/staff/people/{learner.id}").get_data(as_text=True)
    assert "Change the role" not in page
    response = submit(client, f"/staff/people/{learner.id}/role", {"role": "admin"}, page=f"/staff/people/{learner.id}")
    assert response.status_code == 403
    db.session.refresh(learner)
    assert learner.role == "learner" and not _entries("user.role_changed")


def test_admin_cannot_demote_themselves(client, login, make_user):
    admin = make_user(role="admin")
    login(admin)
    submit(client, f"/staff/people/{admin.id}/role", {"role": "learner"}, page="/staff/people")
    db.session.refresh(admin)
    assert admin.role == "admin"


def test_unknown_role_is_refused(client, login, make_user):
    login(make_user(role="admin"))
    learner = make_user()
    submit(client, f"/staff/people/{learner.id}/role", {"role": "superuser"}, page="/staff/people")
    db.session.refresh(learner)
    assert learner.role == "learner"


def test_deactivation_ends_sessions_and_blocks_sign_in(app, client, login, make_user):
    staff = make_user(role="staff")
    learner = make_user()
    learner_client = app.test_client()
    submit(learner_client, "/account/login", {"email": learner.email, "password": "correct horse battery"})
    assert learner_client.get("/dashboard").status_code == 200

    login(staff)
    submit(client, f"/staff/people/{learner.id}/status", {"action": "deactivate"}, page=f"/staff/people/{learner.id}")
    db.session.refresh(learner)
    assert not learner.active
    assert learner_client.get("/dashboard").status_code == 302  # the existing session is gone
    again = submit(app.test_client(), "/account/login", {"email": learner.email, "password": "correct horse battery"})
    assert again.status_code == 200  # the form again, not a redirect into the site
    assert [e.action for e in db.session.scalars(db.select(AuditEvent))] == ["user.deactivated"]

    submit(client, f"/staff/people/{learner.id}/status", {"action": "reactivate"}, page=f"/staff/people/{learner.id}")
    db.session.refresh(learner)
    assert learner.active
    assert len(_entries("user.reactivated")) == 1


def test_staff_cannot_deactivate_staff_or_themselves(client, login, make_user):
    staff = make_user(role="staff")
    colleague = make_user(role="staff")
    login(staff)
    for target in (staff, colleague):
        submit(client, f"/staff/people/{target.id}/status", {"action": "deactivate"}, page="/staff/people")
        db.session.refresh(target)
        assert target.active


def test_status_change_needs_a_known_action(client, login, make_user):
    login(make_user(role="staff"))
    learner = make_user()
    response = submit(client, f"/staff/people/{learner.id}/status", {"action": "delete"}, page="/staff/people")
    assert response.status_code == 400


def test_organisations_are_created_edited_and_unique(client, login, make_user):
    staff = make_user(role="staff")
    login(staff)
    response = submit(client, "/staff/organisations", {"name": "  Община   Варна ", "kind": "municipality",
                                                       "country": "bg"})
    assert response.status_code == 302
    varna = db.session.scalar(db.select(Organisation))
    assert (varna.name, varna.country) == ("Община Варна", "BG")

    clash = submit(client, "/staff/organisations", {"name": "община варна", "kind": "region", "country": "BG"})
    assert clash.status_code == 200 and "already exists" in clash.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(Organisation.id))) == 1

    submit(client, f"/staff/organisations/{varna.id}", {"name": "Област Варна", "kind": "region", "country": "BG"})
    db.session.refresh(varna)
    assert (varna.name, varna.kind) == ("Област Варна", "region")
    assert [e.action for e in db.session.scalars(db.select(AuditEvent).order_by(AuditEvent.id))] == [
        "organisation.created", "organisation.updated"]


@pytest.mark.parametrize("data, message", [
    ({"name": "", "kind": "municipality", "country": "BG"}, "This field is required"),
    ({"name": "X", "kind": "empire", "country": "BG"}, "Not a valid choice"),
    ({"name": "X", "kind": "region", "country": "B1"}, "two-letter country code"),
    ({"name": "X" * 201, "kind": "region", "country": "BG"}, "longer than 200"),
])
def test_bad_organisation_input_is_explained(client, login, make_user, data, message):
    login(make_user(role="staff"))
    response = submit(client, "/staff/organisations", data)
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(Organisation.id))) == 0


def test_hostile_organisation_name_is_escaped(client, login, make_user):
    login(make_user(role="staff"))
    submit(client, "/staff/organisations", {"name": "<img src=x onerror=alert(1)>", "kind": "other", "country": "BG"})
    page = client.get("/staff/organisations").get_data(as_text=True)
    assert "<img src=x" not in page and "&lt;img src=x onerror=alert(1)&gt;" in page


@pytest.mark.parametrize("url", ["/staff/people", "/staff/organisations", "/staff/audit"])
def test_learners_and_trainers_are_refused(app, client, make_user, url):
    response = client.get(url)
    assert response.status_code == 302 and "/account/login" in response.headers["Location"]
    for role in ("learner", "trainer"):
        other = app.test_client()
        submit(other, "/account/login", {"email": make_user(role=role).email, "password": "correct horse battery"})
        assert other.get(url).status_code == 403
        assert other.get("/staff/people/1").status_code == 403
