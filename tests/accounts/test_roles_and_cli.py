"""Roles enforced in one place, and the `flask users` / `flask demo` commands."""

import pytest

from app.accounts.models import User, find_user_by_email
from app.accounts.settings import registration_mode
from app.extensions import db
from tests.helpers import submit


@pytest.mark.parametrize("role, status", [("learner", 403), ("trainer", 403), ("staff", 403), ("admin", 200)])
def test_site_settings_are_for_admins_only(client, make_user, login, role, status):
    """Only admins may open or close registration."""
    login(make_user(role=role))
    assert client.get("/staff/settings").status_code == status


def test_anonymous_user_is_sent_to_sign_in(client):
    """A signed-out visitor asking for an admin page is asked to sign in."""
    response = client.get("/staff/settings")
    assert response.status_code == 302 and "/account/login" in response.headers["Location"]


def test_admin_closes_registration(client, make_user, login):
    """An admin switches registration to invitation-only and the register page follows."""
    login(make_user(role="admin"))
    response = submit(client, "/staff/settings", {"mode": "invitation"})
    assert response.status_code == 302
    assert registration_mode() == "invitation"
    response = submit(client, "/staff/settings", {"mode": "everyone'; --"})
    assert "Choose one of the options in the list." in response.get_data(as_text=True)
    assert registration_mode() == "invitation"


def test_forbidden_page_is_friendly(client, make_user, login):
    """A learner who opens an admin page sees a plain explanation, not a stack trace."""
    login(make_user())
    page = client.get("/staff/settings").get_data(as_text=True)
    assert "You cannot open this page" in page


def test_cli_creates_user_with_password_from_stdin(runner):
    """`flask users create` makes an account that can sign in."""
    result = runner.invoke(args=["users", "create", "--email", "Trainer@Hub.bg", "--name", "Георги Петров",
                                 "--role", "trainer", "--password-stdin"], input="a long cli password\n")
    assert result.exit_code == 0, result.output
    user = find_user_by_email("trainer@hub.bg")
    assert user.role == "trainer" and user.full_name == "Георги Петров" and user.has_password


def test_cli_create_refuses_duplicates_and_short_passwords(runner, make_user):
    """The command explains what is wrong and creates nothing."""
    make_user(email="taken@hub.bg")
    result = runner.invoke(args=["users", "create", "--email", "taken@hub.bg", "--name", "X Y",
                                 "--password-stdin"], input="a long cli password\n")
    assert result.exit_code == 1
    assert db.session.scalar(db.select(db.func.count(User.id))) == 1
    result = runner.invoke(args=["users", "create", "--email", "new@hub.bg", "--name", "X Y",
                                 "--password-stdin"], input="short\n")
    assert result.exit_code == 1 and "at least 10" in result.output
    assert find_user_by_email("new@hub.bg") is None


def test_cli_create_with_organisation(runner, organisation):
    """An account can be attached to an existing organisation by name."""
    result = runner.invoke(args=["users", "create", "--email", "clerk@plovdiv.bg", "--name", "Служител",
                                 "--organisation", organisation.name, "--password-stdin"],
                           input="a long cli password\n")
    assert result.exit_code == 0, result.output
    assert find_user_by_email("clerk@plovdiv.bg").organisation_id == organisation.id
    result = runner.invoke(args=["users", "create", "--email", "x@plovdiv.bg", "--name", "X Y",
                                 "--organisation", "Nowhere", "--password-stdin"], input="a long cli password\n")
    assert result.exit_code == 1 and "No organisation" in result.output


def test_cli_set_role(runner, make_user):
    """`flask users set-role` changes a role; bad roles and unknown users are refused."""
    user = make_user(email="someone@hub.bg")
    assert runner.invoke(args=["users", "set-role", "someone@hub.bg", "staff"]).exit_code == 0
    db.session.expire_all()
    assert db.session.get(User, user.id).role == "staff"
    assert runner.invoke(args=["users", "set-role", "someone@hub.bg", "emperor"]).exit_code == 2
    assert runner.invoke(args=["users", "set-role", "nobody@hub.bg", "staff"]).exit_code == 1


def test_demo_loads_every_role_once(runner, client):
    """`flask demo --if-empty` creates the four demo accounts, and a second run changes nothing."""
    result = runner.invoke(args=["demo", "--if-empty"])
    assert result.exit_code == 0, result.output
    roles = sorted(db.session.scalars(db.select(User.role).where(User.password_hash.is_not(None))).all())
    assert roles == ["admin", "learner", "staff", "trainer"]  # the cohort's other learners have no password
    assert "already has data" in runner.invoke(args=["demo", "--if-empty"]).output
    response = submit(client, "/account/login", {"email": "learner@demo.academy", "password": "learner-demo-2026"})
    assert response.status_code == 302
