"""Profile and password change: the name printed on certificates, organisation, language."""

import pytest

from app.accounts.models import User
from app.extensions import db
from tests.conftest import PASSWORD
from tests.helpers import count_queries, submit

NEW = "another long passphrase"


def _reload(user):
    db.session.expire_all()
    return db.session.get(User, user.id)


def test_profile_shows_and_saves_name_organisation_language(client, make_user, login, organisation):
    """A learner corrects the name for certificates and picks organisation and language."""
    user = make_user(full_name="Maria Ivanova")
    login(user)
    page = client.get("/account/profile").get_data(as_text=True)
    assert "Maria Ivanova" in page
    response = submit(client, "/account/profile", {
        "full_name": "Мария Петрова Иванова", "organisation_id": str(organisation.id), "language": "bg"})
    assert response.headers["Location"] == "/account/profile"
    user = _reload(user)
    assert (user.full_name, user.organisation_id, user.language) == ("Мария Петрова Иванова", organisation.id, "bg")
    assert "Your profile has been saved." in client.get("/account/profile").get_data(as_text=True)


def test_profile_language_changes_the_interface(client, make_user, login):
    """Choosing Bulgarian in the profile turns the interface Bulgarian, whatever the browser says."""
    login(make_user(language="en"))
    submit(client, "/account/profile", {"full_name": "Мария", "organisation_id": "", "language": "bg"})
    page = client.get("/account/profile", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert '<html lang="bg">' in page
    assert "Моят профил" in page


@pytest.mark.parametrize("data, message", [
    ({"full_name": "", "organisation_id": "", "language": "bg"}, "Enter your full name."),
    ({"full_name": "Мария", "organisation_id": "42424", "language": "bg"}, "Choose an organisation from the list."),
    ({"full_name": "Мария", "organisation_id": "", "language": "de"}, "Choose one of the options in the list."),
    ({"full_name": "Мария\x07", "organisation_id": "", "language": "bg"}, "Remove the invisible or control characters"),
])
def test_invalid_profile_changes_nothing(client, make_user, login, data, message):
    """A rejected profile form explains the problem and leaves the saved profile as it was."""
    user = make_user(full_name="Original Name", language="en")
    login(user)
    response = submit(client, "/account/profile", data)
    assert message in response.get_data(as_text=True)
    user = _reload(user)
    assert (user.full_name, user.language) == ("Original Name", "en")


def test_mass_assignment_of_role_and_email_is_ignored(client, make_user, login):
    """Extra posted fields such as role or e-mail never change the account."""
    user = make_user(email="learner@example.bg")
    login(user)
    submit(client, "/account/profile", {"full_name": "Мария", "organisation_id": "", "language": "bg",
                                         "role": "admin", "email": "boss@example.bg", "active": "0"})
    user = _reload(user)
    assert (user.role, user.email, user.active) == ("learner", "learner@example.bg", True)


def test_profile_page_uses_few_queries(app, client, make_user, login, organisation):
    """The profile page costs a small, fixed number of database queries."""
    login(make_user(organisation=organisation))
    with count_queries(app.extensions["sqlalchemy"].engine) as counter:
        assert client.get("/account/profile").status_code == 200
    assert counter.count <= 3, counter.statements


def test_change_password_needs_the_current_one(client, make_user, login):
    """A wrong current password is refused and the password stays."""
    user = make_user()
    login(user)
    response = submit(client, "/account/password",
                      {"current_password": "not my password", "password": NEW, "confirm": NEW})
    assert "Your current password is not correct." in response.get_data(as_text=True)
    assert _reload(user).password_hash == user.password_hash


def test_change_password_signs_out_other_browsers_but_not_this_one(app, client, make_user, login):
    """After a change, this browser stays signed in; all others, and replayed cookies, are out."""
    user = make_user()
    login(user)
    old_cookie = client.get_cookie("session").value
    other = app.test_client()
    submit(other, "/account/login", {"email": user.email, "password": PASSWORD})
    response = submit(client, "/account/password", {"current_password": PASSWORD, "password": NEW, "confirm": NEW})
    assert response.headers["Location"] == "/account/profile"
    assert client.get("/account/profile").status_code == 200
    assert other.get("/account/profile").status_code == 302
    replay = app.test_client()
    replay.set_cookie("session", old_cookie)
    assert replay.get("/account/profile").status_code == 302
    assert submit(app.test_client(), "/account/login", {"email": user.email, "password": NEW}).status_code == 302
