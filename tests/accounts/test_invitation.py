"""Invitations: an account without a password, accepted once through an e-mailed link."""

import pytest
from flask_babel import force_locale

from app.accounts import services
from app.accounts.models import User
from app.extensions import db
from tests.helpers import first_link, mail_text, submit

NEW = "my own long passphrase"


def _invite(make_user, **kwargs):
    staff = make_user(role="staff")
    user = services.invite("new.person@varna.bg", "Нов Служител", invited_by=staff, language="bg", **kwargs)
    db.session.commit()
    return user


def _link(outbox):
    return first_link(mail_text(outbox[-1]), "/account/invitation/").replace("http://academy.test", "")


def test_invitation_email_in_bulgarian_with_link(make_user, outbox):
    """The invited person gets one e-mail in their language with a set-password link."""
    _invite(make_user)
    [message] = outbox
    assert message["To"].addresses[0].addr_spec == "new.person@varna.bg"
    assert "Нов Служител" in mail_text(message)
    assert "/account/invitation/" in mail_text(message)


def test_invited_person_cannot_sign_in_before_accepting(client, make_user, outbox):
    """An account without a password cannot be signed into with any password."""
    _invite(make_user)
    response = submit(client, "/account/login", {"email": "new.person@varna.bg", "password": ""})
    assert response.status_code == 200
    response = submit(client, "/account/login", {"email": "new.person@varna.bg", "password": "anything-at-all"})
    assert response.status_code == 200


def test_accepting_sets_name_and_password_and_signs_in(client, make_user, outbox):
    """Accepting lets the person correct their name, choose a password and start."""
    _invite(make_user)
    link = _link(outbox)
    assert "new.person@varna.bg" in client.get(link).get_data(as_text=True)
    response = submit(client, link, {"full_name": "Нов Служител Петров", "password": NEW, "confirm": NEW})
    assert response.status_code == 302
    assert client.get("/account/profile").status_code == 200
    user = db.session.scalar(db.select(User).where(User.email == "new.person@varna.bg"))
    assert user.full_name == "Нов Служител Петров" and user.has_password
    assert client.get(link).status_code == 404


def test_invalid_acceptance_keeps_the_link(client, make_user, outbox):
    """A too-short password gets a message; the invitation still works afterwards."""
    _invite(make_user)
    link = _link(outbox)
    response = submit(client, link, {"full_name": "Нов", "password": "short", "confirm": "short"})
    assert "Use at least 10 characters" in response.get_data(as_text=True)
    assert client.get(link).status_code == 200


def test_resending_an_invitation_invalidates_the_old_link(client, make_user, outbox):
    """Only the newest invitation link works."""
    user = _invite(make_user)
    old = _link(outbox)
    services.send_invitation(user)
    db.session.commit()
    assert client.get(old).status_code == 404
    assert client.get(_link(outbox)).status_code == 200


def test_invitation_for_existing_address_is_refused(make_user):
    """Inviting an address that already has an account raises a clear error."""
    make_user(email="new.person@varna.bg")
    with pytest.raises(services.AccountError) as raised, force_locale("en"):
        _invite(make_user)
    with force_locale("en"):
        assert "already exists" in str(raised.value.message)
