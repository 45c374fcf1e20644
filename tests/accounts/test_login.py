"""Signing in and out: one message for every failure, safe redirects, revocable sessions."""

from urllib.parse import urlsplit

import pytest

from app.accounts import sessions
from app.accounts.models import LoginSession
from app.extensions import db
from tests.conftest import PASSWORD
from tests.helpers import submit

FAILED = "We could not sign you in with that e-mail address and password."


def test_login_with_correct_password_signs_in(client, make_user, login):
    """A learner who types the right password reaches the site signed in."""
    user = make_user(email="maria@plovdiv.bg")
    response = login(user)
    assert response.headers["Location"] == "/"
    assert "maria@plovdiv.bg" in client.get("/account/profile").get_data(as_text=True)


def test_login_ignores_case_and_spaces_in_email(client, make_user):
    """People type their address with capitals or a stray space; they still get in."""
    make_user(email="maria@plovdiv.bg")
    response = submit(client, "/account/login", {"email": "  Maria@Plovdiv.BG ", "password": PASSWORD})
    assert response.status_code == 302


def test_unknown_email_and_wrong_password_give_the_same_answer(client, make_user):
    """An attacker cannot tell from the page whether an address has an account."""
    make_user(email="known@example.bg")
    wrong_password = submit(client, "/account/login", {"email": "known@example.bg", "password": "nope-nope-nope"})
    unknown = submit(client, "/account/login", {"email": "unknown@example.bg", "password": "nope-nope-nope"})
    assert wrong_password.status_code == unknown.status_code == 200
    for response in (wrong_password, unknown):
        page = response.get_data(as_text=True)
        assert FAILED in page
        assert 'class="error-summary"' in page
    assert "known@example.bg" in wrong_password.get_data(as_text=True)  # the typed address is kept


def test_login_failure_keeps_email_but_never_echoes_password(client, make_user):
    """After an error the form keeps the e-mail but not the password."""
    make_user(email="known@example.bg")
    response = submit(client, "/account/login", {"email": "known@example.bg", "password": "secret-typed-here"})
    page = response.get_data(as_text=True)
    assert "secret-typed-here" not in page


def test_deactivated_user_cannot_sign_in(client, make_user):
    """A deactivated account is refused with the same neutral message."""
    user = make_user(email="gone@example.bg")
    user.active = False
    db.session.commit()
    response = submit(client, "/account/login", {"email": "gone@example.bg", "password": PASSWORD})
    assert FAILED in response.get_data(as_text=True)


def test_deactivation_ends_existing_sessions(client, make_user, login):
    """Once deactivated, a browser that was signed in is signed out at its next request."""
    user = make_user()
    login(user)
    user.active = False
    db.session.commit()
    assert client.get("/account/profile").status_code == 302


@pytest.mark.parametrize("payload", [
    "//evil.com", "/\\evil.com", "\\/evil.com", "https://x@evil.com", "https://evil.com/",
    "javascript:alert(1)", "/%0d%0aLocation:%20https://evil.com", "http:/evil.com", " //evil.com",
    "/\t/evil.com", "////evil.com", "/\r\nLocation: https://evil.com", "data:text/html,x",
])
def test_next_parameter_never_leaves_the_site(client, make_user, payload):
    """After sign-in the redirect goes only to a page of this site, whatever `next` says."""
    user = make_user()
    response = submit(client, "/account/login",
                      {"email": user.email, "password": PASSWORD, "next": payload})
    assert response.status_code == 302
    location = response.headers["Location"]
    parts = urlsplit(location)
    assert location.startswith("/") and not location.startswith("//")
    assert not parts.scheme and not parts.netloc and "\\" not in location and "\n" not in location


def test_next_parameter_returns_to_the_page_asked_for(client, make_user):
    """A learner sent to sign in comes back to the page they wanted."""
    user = make_user()
    response = submit(client, "/account/login",
                      {"email": user.email, "password": PASSWORD, "next": "/account/password?x=1"})
    assert response.headers["Location"] == "/account/password?x=1"


def test_protected_page_sends_to_login_with_next(client):
    """Opening a private page while signed out leads to the sign-in form and back."""
    response = client.get("/account/profile")
    assert response.status_code == 302
    assert response.headers["Location"] == "/account/login?next=%2Faccount%2Fprofile"
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert 'value="/account/profile"' in page


def test_logout_needs_post_with_csrf(client, make_user, login):
    """A link or image on another site cannot sign the user out."""
    login(make_user())
    assert client.get("/account/logout").status_code == 405
    assert client.post("/account/logout").status_code == 400
    assert client.get("/account/profile").status_code == 200


def test_logout_revokes_the_session_even_if_the_cookie_is_replayed(app, client, make_user, login):
    """A copied session cookie is worthless after sign-out."""
    login(make_user())
    stolen = client.get_cookie("session").value
    submit(client, "/account/logout", {}, page="/account/profile")
    attacker = app.test_client()
    attacker.set_cookie("session", stolen)
    assert attacker.get("/account/profile").status_code == 302


def test_remember_cookie_is_revoked_by_logout(app, client, make_user, login):
    """The "keep me signed in" cookie also dies at sign-out."""
    login(make_user(), remember=True)
    remember = client.get_cookie("remember_token").value
    submit(client, "/account/logout", {}, page="/account/profile")
    attacker = app.test_client()
    attacker.set_cookie("remember_token", remember)
    assert attacker.get("/account/profile").status_code == 302


def test_each_browser_has_its_own_session(app, make_user, login, client):
    """Signing out on one computer leaves the others signed in."""
    user = make_user()
    login(user)
    other = app.test_client()
    submit(other, "/account/login", {"email": user.email, "password": PASSWORD})
    submit(client, "/account/logout", {}, page="/account/profile")
    assert other.get("/account/profile").status_code == 200
    assert sessions.count_live_sessions(user) == 1


def test_session_tokens_are_stored_hashed(app, make_user, login, client):
    """The database holds only hashes, so a leaked backup cannot be used to sign in."""
    login(make_user())
    cookie_token = None
    with client.session_transaction() as session:
        cookie_token = session["_user_id"]
    stored = db.session.scalars(db.select(LoginSession.token_hash)).all()
    assert cookie_token not in stored
    assert len(stored) == 1 and len(stored[0]) == 64


def test_login_form_without_csrf_token_is_refused(client, make_user):
    """Cross-site login forgery is blocked: no token, no sign-in."""
    user = make_user()
    response = client.post("/account/login", data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 400
    assert client.get("/account/profile").status_code == 302


def test_login_page_when_signed_in_goes_home(client, make_user, login):
    """A signed-in user who opens the sign-in page is not asked again."""
    login(make_user())
    assert client.get("/account/login").status_code == 302


@pytest.mark.parametrize("data", [
    {"email": "", "password": ""},
    {"email": "a" * 300 + "@example.bg", "password": "x"},
    {"email": "x@example.bg", "password": "p" * 5000},
    {"email": "' OR 1=1 --", "password": "' OR '1'='1"},
])
def test_malformed_login_input_gets_a_clear_answer(client, data):
    """Empty, huge or hostile input gives the form again with a message, never an error page."""
    response = submit(client, "/account/login", data)
    assert response.status_code == 200
    assert 'class="error-summary"' in response.get_data(as_text=True)


def test_nul_bytes_are_refused_with_an_error_page(client, make_user):
    """NUL characters (which no database stores) get a clear 400 page, never a crash."""
    response = submit(client, "/account/login", {"email": "x@example.bg\x00", "password": "\x00"})
    assert response.status_code == 400
    assert "Something in the request was wrong" in response.get_data(as_text=True)
