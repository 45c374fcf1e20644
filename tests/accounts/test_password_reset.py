"""Password reset by e-mail: one neutral answer, single-use expiring links, no Host poisoning."""

from datetime import timedelta

from app.accounts.models import AccountToken
from app.extensions import db
from app.timeutil import utcnow
from tests.conftest import PASSWORD
from tests.helpers import first_link, mail_text, submit

NEW = "a brand new passphrase"


def _request_reset(client, email, **kwargs):
    return submit(client, "/account/reset", {"email": email}, **kwargs)


def _reset_link(outbox):
    [message] = outbox
    return first_link(mail_text(message), "/account/reset/")


def test_reset_email_arrives_in_the_users_language(client, make_user, outbox):
    """The learner receives one e-mail, in Bulgarian if that is their language, with a link."""
    make_user(email="maria@plovdiv.bg", language="bg", full_name="Мария Иванова")
    response = _request_reset(client, "maria@plovdiv.bg")
    assert "Check your e-mail" in response.get_data(as_text=True)
    [message] = outbox
    assert message["To"].addresses[0].addr_spec == "maria@plovdiv.bg"
    assert "Мария Иванова" in mail_text(message)
    assert message.get_body(preferencelist=("html",)) is not None
    assert "/account/reset/" in mail_text(message)


def test_unknown_address_gets_the_same_answer_and_no_email(client, outbox):
    """Asking for a reset never reveals whether an address has an account."""
    known_page = None
    response = _request_reset(client, "nobody@example.bg")
    assert response.status_code == 200
    assert outbox == []
    known_page = response.get_data(as_text=True)
    assert "If nobody@example.bg belongs to an account" in known_page


def test_reset_link_sets_a_new_password_once(client, make_user, outbox):
    """The link works once: the new password signs in, the link then stops working."""
    user = make_user(email="maria@plovdiv.bg")
    _request_reset(client, user.email)
    link = _reset_link(outbox).replace("http://academy.test", "")
    response = submit(client, link, {"password": NEW, "confirm": NEW})
    assert response.headers["Location"] == "/account/login"
    assert submit(client, "/account/login", {"email": user.email, "password": NEW}).status_code == 302
    assert client.get(link).status_code == 404
    assert "This link no longer works" in client.get(link).get_data(as_text=True)


def test_old_password_stops_working_after_reset(app, client, make_user, outbox):
    """After a reset the old password is refused."""
    user = make_user(email="maria@plovdiv.bg")
    _request_reset(client, user.email)
    link = _reset_link(outbox).replace("http://academy.test", "")
    submit(client, link, {"password": NEW, "confirm": NEW})
    response = submit(app.test_client(), "/account/login", {"email": user.email, "password": PASSWORD})
    assert response.status_code == 200


def test_reset_signs_out_every_browser(app, client, make_user, login, outbox):
    """Whoever knew the old password and was signed in is signed out by the reset."""
    user = make_user()
    login(user)
    other = app.test_client()
    _request_reset(other, user.email)
    link = _reset_link(outbox).replace("http://academy.test", "")
    submit(other, link, {"password": NEW, "confirm": NEW})
    assert client.get("/account/profile").status_code == 302


def test_expired_link_is_refused(client, make_user, outbox):
    """A reset link older than its lifetime does nothing."""
    user = make_user()
    _request_reset(client, user.email)
    link = _reset_link(outbox).replace("http://academy.test", "")
    db.session.execute(db.update(AccountToken).values(expires_at=utcnow() - timedelta(seconds=1)))
    db.session.commit()
    response = submit(client, link, {"password": NEW, "confirm": NEW}, page="/account/reset")
    assert response.status_code == 404


def test_a_newer_link_replaces_the_older_one(client, make_user, outbox):
    """Asking twice makes the first link useless, so only the latest e-mail counts."""
    user = make_user()
    _request_reset(client, user.email)
    _request_reset(client, user.email)
    first, second = (first_link(mail_text(m), "/account/reset/").replace("http://academy.test", "")
                     for m in outbox)
    assert client.get(first).status_code == 404
    assert client.get(second).status_code == 200


def test_forged_or_garbage_tokens_are_refused(client):
    """Made-up, overlong or hostile tokens show the "link no longer works" page."""
    for token in ("abc", "x" * 500, "%27%20OR%201%3D1", "..%2F..%2Fetc"):
        assert client.get(f"/account/reset/{token}").status_code == 404


def test_reset_link_ignores_a_poisoned_host_header(client, make_user, outbox):
    """The link in the e-mail uses the configured address, whatever Host the request carried."""
    user = make_user()
    _request_reset(client, user.email, headers={"Host": "evil.example", "X-Forwarded-Host": "evil.example"})
    text = mail_text(outbox[0])
    assert "evil.example" not in text
    assert "http://academy.test/account/reset/" in text


def test_mismatched_new_passwords_keep_the_link_valid(client, make_user, outbox):
    """A typo in the confirmation does not burn the link."""
    user = make_user()
    _request_reset(client, user.email)
    link = _reset_link(outbox).replace("http://academy.test", "")
    response = submit(client, link, {"password": NEW, "confirm": NEW + "x"})
    assert "The two passwords do not match." in response.get_data(as_text=True)
    assert client.get(link).status_code == 200


def test_reset_requests_are_throttled_per_address(app, client, make_user, outbox):
    """One machine cannot use the reset form to flood inboxes."""
    app.config["RESET_REQUESTS_PER_ADDRESS"] = "3 per hour"
    user = make_user()
    statuses = [_request_reset(client, user.email).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    assert len(outbox) == 3


def test_untrusted_host_is_refused_when_trusted_hosts_are_set(app, client):
    """With TRUSTED_HOSTS configured, a request for another host name gets 400."""
    app.config["TRUSTED_HOSTS"] = ["academy.test"]
    assert client.get("/account/reset", headers={"Host": "evil.example"}).status_code == 400
    assert client.get("/account/reset", headers={"Host": "academy.test"}).status_code == 200
