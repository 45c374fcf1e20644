"""Registering: open or by invitation, with every field checked and nothing half-saved."""

import pytest

from app.accounts.models import User
from app.accounts.settings import set_registration_mode
from app.extensions import db
from tests.helpers import submit

GOOD = {
    "full_name": "Мария Иванова",
    "email": "maria@plovdiv.bg",
    "organisation_id": "",
    "language": "bg",
    "password": "дълга парола за теста",
    "confirm": "дълга парола за теста",
}


def _users():
    return db.session.scalars(db.select(User)).all()


def test_register_creates_a_signed_in_learner(client, organisation):
    """A public servant registers with their organisation and is signed in as a learner."""
    response = submit(client, "/account/register", {**GOOD, "organisation_id": str(organisation.id)})
    assert response.status_code == 302
    [user] = _users()
    assert (user.email, user.role, user.language, user.organisation_id) == (
        "maria@plovdiv.bg", "learner", "bg", organisation.id)
    assert user.password_hash.startswith("$argon2id$")
    assert client.get("/account/profile").status_code == 200


def test_register_lowercases_email(client):
    """Addresses are stored in one form so that the same person cannot register twice."""
    submit(client, "/account/register", {**GOOD, "email": "Maria@Plovdiv.BG"})
    assert _users()[0].email == "maria@plovdiv.bg"


def test_duplicate_email_is_refused_with_a_way_forward(client, make_user):
    """Registering an address that already has an account explains it and creates nothing."""
    make_user(email="maria@plovdiv.bg")
    response = submit(client, "/account/register", {**GOOD, "email": "MARIA@plovdiv.bg"})
    assert response.status_code == 200
    assert "already exists" in response.get_data(as_text=True)
    assert len(_users()) == 1


@pytest.mark.parametrize("field, value, message", [
    ("full_name", "", "Enter your full name."),
    ("full_name", "x", "Enter between 2 and 200 characters."),
    ("full_name", "a" * 201, "Enter between 2 and 200 characters."),
    ("full_name", "12345", "Enter your name with letters"),
    ("full_name", "Maria\u202eevil", "Remove the invisible or control characters"),
    ("email", "not-an-email", "Enter an e-mail address in the right format"),
    ("email", "maria@", "Enter an e-mail address in the right format"),
    ("email", "a@b.c\r\nBcc: x@evil.com", "Enter an e-mail address in the right format"),
    ("password", "short", "Use at least 10 characters"),
    ("password", "password123", "too common"),
    ("confirm", "something else entirely", "The two passwords do not match."),
    ("organisation_id", "999999", "Choose an organisation from the list."),
    ("organisation_id", "'; DROP TABLE users; --", "Choose an organisation from the list."),
    ("language", "xx", "Choose one of the options in the list."),
])
def test_invalid_registration_explains_and_keeps_input(client, field, value, message):
    """Each mistake gets a message by its field; typed values stay; nothing is saved."""
    data = {**GOOD, field: value}
    if field == "password":
        data["confirm"] = value
    response = submit(client, "/account/register", data)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert message in page
    assert 'class="error-summary"' in page
    assert f'href="#{field}"' in page
    if field != "full_name":
        assert "Мария Иванова" in page
    assert _users() == []


def test_hostile_name_is_shown_as_text(client):
    """A name full of HTML is stored as typed and displayed escaped, never run."""
    payload = '<script>alert(1)</script><img src=x onerror=alert(2)>'
    submit(client, "/account/register", {**GOOD, "full_name": "Мария " + payload})
    page = client.get("/account/profile").get_data(as_text=True)
    assert "<script>alert(1)" not in page and "<img src=x" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_registration_can_be_invitation_only(client):
    """When the hub closes registration, the page explains invitations and creates nothing."""
    set_registration_mode("invitation")
    db.session.commit()
    page = client.get("/account/register").get_data(as_text=True)
    assert "Accounts are created by invitation" in page
    response = submit(client, "/account/register", GOOD, page="/account/login")
    assert response.status_code == 200
    assert _users() == []


def test_register_form_preselects_browser_language(client):
    """The language list starts at the browser's language."""
    page = client.get("/account/register", headers={"Accept-Language": "en-GB,en;q=0.8"}).get_data(as_text=True)
    assert '<option selected value="en">' in page


def test_registrations_from_one_address_are_limited(app, client):
    """A script cannot create accounts without end from one address; the page explains the wait."""
    app.config["REGISTRATIONS_PER_ADDRESS"] = "2 per hour"
    statuses = []
    for n in range(3):
        fresh = app.test_client()
        response = submit(fresh, "/account/register", {**GOOD, "email": f"bot{n}@example.bg"})
        statuses.append(response.status_code)
    assert statuses == [302, 302, 429]
    assert "Too many attempts" in response.get_data(as_text=True)
    assert len(_users()) == 2
