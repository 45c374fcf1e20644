"""Sessions and redirects: stolen cookies die with the session, redirects never leave the site."""

from urllib.parse import urlsplit

import pytest

from tests.conftest import PASSWORD
from tests.helpers import first_link, mail_text, submit

NEW_PASSWORD = "a brand new passphrase"


def _steal(client, kind):
    """The cookie an attacker copied from the victim's browser."""
    name = {"session": "session", "remember": "remember_token"}[kind]
    return name, client.get_cookie(name).value


def _replay(app, cookie):
    attacker = app.test_client()
    attacker.set_cookie(*cookie)
    return attacker.get("/account/profile").status_code


def _logout(app, client, victim, make_user, outbox):
    submit(client, "/account/logout", {}, page="/account/profile")


def _change_password_here(app, client, victim, make_user, outbox):
    submit(client, "/account/password", {"current_password": PASSWORD, "password": NEW_PASSWORD,
                                         "confirm": NEW_PASSWORD})


def _change_password_elsewhere(app, client, victim, make_user, outbox):
    other = app.test_client()
    submit(other, "/account/login", {"email": victim.email, "password": PASSWORD})
    submit(other, "/account/password", {"current_password": PASSWORD, "password": NEW_PASSWORD,
                                        "confirm": NEW_PASSWORD})


def _reset_password(app, client, victim, make_user, outbox):
    stranger = app.test_client()
    submit(stranger, "/account/reset", {"email": victim.email})
    link = first_link(mail_text(outbox[-1]), "/account/reset/")
    submit(stranger, link.replace("http://academy.test", ""), {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})


def _deactivate(app, client, victim, make_user, outbox):
    staff_client = app.test_client()
    submit(staff_client, "/account/login", {"email": make_user(role="staff").email, "password": PASSWORD})
    submit(staff_client, f"/staff/people/{victim.id}/status", {"action": "deactivate"},
           page=f"/staff/people/{victim.id}")


ENDINGS = {
    "logout": _logout,
    "password changed in this browser": _change_password_here,
    "password changed in another browser": _change_password_elsewhere,
    "password reset by e-mail": _reset_password,
    "account deactivated by staff": _deactivate,
}


@pytest.mark.parametrize("kind", ["session", "remember"])
@pytest.mark.parametrize("ending", list(ENDINGS))
def test_a_replayed_cookie_is_refused_after_the_session_ends(app, client, make_user, login, outbox, ending, kind):
    """ASVS V7.4.1, V7.4.3, V7.4.5: a copied session or "keep me signed in" cookie stops working after
    sign-out, a password change (here or elsewhere), a password reset or deactivation."""
    victim = make_user()
    login(victim, remember=kind == "remember")
    cookie = _steal(client, kind)
    assert _replay(app, cookie) == 200  # the copy works while the session lives

    ENDINGS[ending](app, client, victim, make_user, outbox)
    assert _replay(app, cookie) == 302  # to the sign-in page


OPEN_REDIRECTS = [
    "https://evil.example/",
    "//evil.example",
    "///evil.example",
    "////evil.example/path",
    "/\\evil.example",
    "\\\\evil.example",
    "/\t/evil.example",
    "/%0d%0aLocation: https://evil.example",
    "/\r\nLocation: https://evil.example",
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "https:evil.example",
    "http://academy.test@evil.example/",
    "/@evil.example",
    " //evil.example",
    "evil.example",
    "%2F%2Fevil.example",
]


def _stays_on_site(location):
    parts = urlsplit(location)
    return (location.startswith("/") and not location.startswith(("//", "/\\")) and not parts.scheme
            and not parts.netloc and not any(ord(ch) < 33 for ch in location))


@pytest.mark.parametrize("target", OPEN_REDIRECTS)
def test_sign_in_never_redirects_off_the_site(client, make_user, target):
    """ASVS V3.7.2 (open redirects): `next` after sign-in only ever leads to a page of this site."""
    user = make_user()
    response = submit(client, "/account/login", {"email": user.email, "password": PASSWORD, "next": target})
    assert response.status_code == 302 and _stays_on_site(response.headers["Location"])
    again = client.get("/account/login", query_string={"next": target})
    assert again.status_code == 302 and _stays_on_site(again.headers["Location"])


@pytest.mark.parametrize("target", OPEN_REDIRECTS)
def test_language_switch_never_redirects_off_the_site(client, target):
    """ASVS V3.7.2: the language switcher's `next` only ever leads back to a page of this site."""
    response = submit(client, "/language", {"language": "bg", "next": target}, page="/")
    assert response.status_code == 302 and _stays_on_site(response.headers["Location"])
