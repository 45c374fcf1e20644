"""Personal API tokens: created and revoked in the profile by staff, shown once, stored hashed."""

import hashlib
import re
from datetime import timedelta

import pytest
from sqlalchemy import text

from app.accounts import api_tokens
from app.accounts.models import ApiToken
from app.audit import AuditEvent
from app.extensions import db
from app.timeutil import utcnow
from tests.api.conftest import API, bearer
from tests.helpers import submit

SECRET_RE = re.compile(r'id="new-token-secret"[^>]*value="(c4a_[A-Za-z0-9_-]{40})"')


def _create(client, name="HR system", scope="write"):
    return submit(client, "/account/api-tokens", {"name": name, "scope": scope}, page="/account/profile")


def _database_text():
    """Every value of every row of every table, as one string."""
    rows = []
    for table in db.metadata.sorted_tables:
        rows += [repr(tuple(row)) for row in db.session.execute(text(f"SELECT * FROM {table.name}"))]  # noqa: S608
    return "\n".join(rows)


def test_staff_create_a_token_whose_secret_is_shown_once_and_stored_hashed(client, staff, login):
    """The secret appears once after creation; the database holds only its SHA-256 and prefix."""
    login(staff)
    page = client.get("/account/profile").get_data(as_text=True)
    assert "API tokens" in page and "You have no API tokens." in page
    response = _create(client)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    html = response.get_data(as_text=True)
    secret = SECRET_RE.search(html).group(1)
    assert "it will not be shown again" in html
    [token] = db.session.scalars(db.select(ApiToken)).all()
    assert token.token_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert (token.name, token.scope, token.prefix, token.user_id) == ("HR system", "write", secret[:12], staff.id)
    assert secret not in _database_text()
    again = client.get("/account/profile").get_data(as_text=True)
    assert secret not in again and f"{secret[:12]}…" in again and "Read and write" in again
    event = db.session.scalar(db.select(AuditEvent).where(AuditEvent.action == "api_token.created"))
    assert (event.actor_id, event.target_id, event.target_label) == (staff.id, token.id, "HR system")


def test_token_list_shows_when_a_token_was_last_used(client, staff, login, read_secret):
    """The list says "Never" until a system uses the token, then shows when."""
    login(staff)
    page = client.get("/account/profile").get_data(as_text=True)
    assert "Reports" in page and "Read only" in page and "Never" in page
    assert client.get(f"{API}/courses", headers=bearer(read_secret)).status_code == 200
    page = client.get("/account/profile").get_data(as_text=True)
    assert "Never" not in page


def test_revoking_a_token_stops_it_at_once(client, staff, login, write_secret):
    """A revoked token disappears from the list, is refused by the API and is audited."""
    login(staff)
    [token] = api_tokens.of_user(staff)
    response = submit(client, f"/account/api-tokens/{token.id}/revoke", {}, page="/account/profile")
    assert response.status_code == 302
    assert response.headers["Location"] == "/account/profile#api-tokens"
    page = client.get("/account/profile").get_data(as_text=True)
    assert "is revoked" in page and "You have no API tokens." in page
    assert client.get(f"{API}/courses", headers=bearer(write_secret)).status_code == 401
    db.session.expire_all()
    assert db.session.get(ApiToken, token.id).revoked_at is not None
    revoked = db.session.scalar(db.select(AuditEvent).where(AuditEvent.action == "api_token.revoked"))
    assert (revoked.actor_id, revoked.target_id) == (staff.id, token.id)


def test_revoking_needs_the_csrf_token(client, staff, login, write_secret):
    """A forged revoke without the form's CSRF token changes nothing."""
    login(staff)
    [token] = api_tokens.of_user(staff)
    assert client.post(f"/account/api-tokens/{token.id}/revoke").status_code == 400
    assert api_tokens.of_user(staff) == [token]


def test_staff_cannot_revoke_someone_elses_token(client, make_user, login, write_secret, staff):
    """Another staff member's token id gives 404 and stays valid."""
    login(make_user(role="staff"))
    [token] = api_tokens.of_user(staff)
    assert submit(client, f"/account/api-tokens/{token.id}/revoke", {}, page="/account/profile").status_code == 404
    assert client.get(f"{API}/courses", headers=bearer(write_secret)).status_code == 200


@pytest.mark.parametrize("role", ["admin"])
def test_admins_hold_tokens_too(client, make_user, login, role):
    """Admins see the section and can create tokens."""
    login(make_user(role=role))
    assert SECRET_RE.search(_create(client, scope="read").get_data(as_text=True))


@pytest.mark.parametrize("role", ["learner", "trainer"])
def test_learners_and_trainers_cannot_hold_tokens(client, make_user, login, role):
    """No section in their profile, and the create and revoke addresses answer 403."""
    user = make_user(role=role)
    login(user)
    page = client.get("/account/profile").get_data(as_text=True)
    assert "API tokens" not in page
    response = submit(client, "/account/api-tokens", {"name": "mine", "scope": "write"}, page="/account/profile")
    assert response.status_code == 403
    assert submit(client, "/account/api-tokens/1/revoke", {}, page="/account/profile").status_code == 403
    assert db.session.scalar(db.select(db.func.count(ApiToken.id))) == 0
    with pytest.raises(api_tokens.ApiTokenError):
        api_tokens.create(user, "mine", "read")


@pytest.mark.parametrize("data, message", [
    ({"name": "", "scope": "read"}, "Give the token a name"),
    ({"name": "x" * 101, "scope": "read"}, "Use at most 100 characters."),
    ({"name": "HR", "scope": "admin"}, "Choose read-only or read and write."),
    ({"name": "HR\x07", "scope": "read"}, "Remove the invisible or control characters"),
])
def test_invalid_token_form_explains_and_creates_nothing(client, staff, login, data, message):
    """A rejected form says what to fix and no token is made."""
    login(staff)
    response = _create(client, **data)
    html = response.get_data(as_text=True)
    assert message in html and "There is a problem" in html
    assert not SECRET_RE.search(html)
    assert db.session.scalar(db.select(db.func.count(ApiToken.id))) == 0


def test_a_person_holds_at_most_twenty_working_tokens(client, staff, login):
    """The 21st token is refused with a way forward."""
    for number in range(api_tokens.MAX_ACTIVE_TOKENS):
        api_tokens.create(staff, f"token {number}", "read")
    db.session.commit()
    login(staff)
    assert "Revoke one you no longer use first." in _create(client).get_data(as_text=True)


def test_authenticate_refuses_unknown_revoked_and_deactivated(staff, write_secret):
    """Only a known, unrevoked token of an active account authenticates."""
    assert api_tokens.authenticate(write_secret).user_id == staff.id
    for bad in (None, "", "c4a_", write_secret + "x", write_secret[4:], "c4a_" + "x" * 300):
        assert api_tokens.authenticate(bad) is None
    staff.active = False
    db.session.commit()
    assert api_tokens.authenticate(write_secret) is None
    staff.active = True
    [token] = api_tokens.of_user(staff)
    api_tokens.revoke(token, by=staff)
    db.session.commit()
    assert api_tokens.authenticate(write_secret) is None


def test_last_used_is_written_at_most_once_a_minute(staff, write_secret):
    """A busy token does not write on every request."""
    [token] = api_tokens.of_user(staff)
    recent = utcnow() - timedelta(seconds=30)
    token.last_used_at = recent
    db.session.commit()
    assert api_tokens.authenticate(write_secret).last_used_at == recent
    token.last_used_at = utcnow() - timedelta(minutes=2)
    db.session.commit()
    assert api_tokens.authenticate(write_secret).last_used_at > recent
