"""Privacy claims: the data download, erasure and the logs, attacked the way an adversary or a fault would.

OWASP ASVS 5.0: V8.2.2 (data-specific access: only one's own data), V3.5.1 (anti-forgery tokens),
V7.4.2 (all sessions end when an account is deleted), V7.5.1 (re-authentication before a sensitive
account change), V14.2.7 (retention), V14.3.2 (Cache-Control: no-store on sensitive responses),
V16.2.5 (no sensitive data in logs), V16.5.1 (generic error pages).
"""

import json
import logging

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from app.accounts import api_tokens
from app.accounts import services as accounts
from app.accounts.models import ApiToken, LoginSession, User
from app.extensions import db
from tests.accounts.privacy_data import ESSAY_TEXT, SHORT_TEXT, download, downloaded, learner_with_history
from tests.helpers import csrf_token_from, submit

PASSWORD = "correct horse battery"


def _erase(client, password=PASSWORD, **extra):
    return submit(client, "/account/erase", {"password": password, **extra})


def test_download_needs_a_signed_in_post_with_csrf_token(app, client, make_user, login):
    """Attack: a link or another site triggers the download (GET, or POST without token). Expect: refused (V3.5.1)."""
    token = csrf_token_from(client.get("/account/login").get_data(as_text=True))
    anonymous = client.post("/account/profile/data", data={"csrf_token": token})
    assert anonymous.status_code == 302 and "/account/login" in anonymous.headers["Location"]
    login(make_user())
    assert client.get("/account/profile/data").status_code == 405
    assert client.post("/account/profile/data").status_code == 400
    assert client.post("/account/profile/data", data={"csrf_token": "forged"}).status_code == 400


def test_download_holds_only_my_data(app, client, make_user, login, organisation, tmp_path):
    """Attack: a learner downloads while another learner's data sits in the same tables. Expect: none of it (V8.2.2)."""
    learner_with_history(tmp_path, make_user, organisation)
    other = make_user(full_name="Петър Петров")
    login(other)
    document = json.dumps(downloaded(client), ensure_ascii=False)
    for secret in ("maria.ivanova@example.bg", "Мария Иванова", SHORT_TEXT, ESSAY_TEXT):
        assert secret not in document, secret
    assert "Петър Петров" in document


def test_download_has_no_secrets_and_is_not_cached(app, client, make_user, login):
    """Fault: the copy leaks password or token hashes, or a shared cache keeps it. Expect: neither (V14.3.2)."""
    staff = make_user(role="staff")
    token, secret = api_tokens.create(staff, "HR system", "read")
    db.session.commit()
    login(staff)
    response = download(client)
    body = response.get_data(as_text=True)
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["Content-Disposition"].startswith("attachment;")
    stored = db.session.get(User, staff.id)
    for value in (stored.password_hash, token.token_hash, secret, "argon2", "token_hash", "password_hash"):
        assert value not in body, value
    tokens = json.loads(body)["api_tokens"]
    assert tokens == [{"name": "HR system", "prefix": token.prefix, "scope": "read",
                       "created_at": tokens[0]["created_at"], "last_used_at": None, "revoked_at": None}]


@pytest.mark.parametrize("password", ["wrong password", "", "x" * 5000, "correct horse battery ", "' OR '1'='1",
                                      "correct horse battery\u200b"])
def test_erasure_needs_the_current_password(app, client, make_user, login, password):
    """Attack: someone at a signed-in computer erases the account. Expect: the password is required (V7.5.1)."""
    user = make_user()
    login(user)
    response = _erase(client, password=password)
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and 'class="error-summary"' in page
    db.session.expire_all()
    kept = db.session.get(User, user.id)
    assert not kept.is_erased and kept.email == user.email
    assert client.get("/account/profile").status_code == 200  # still signed in, nothing lost


def test_erasure_with_a_nul_byte_is_refused(app, client, make_user, login):
    """Attack: a NUL byte in the password field. Expect: 400 for the whole request, nothing erased (V2.2.1)."""
    user = make_user()
    login(user)
    assert _erase(client, password="correct horse\x00battery").status_code == 400
    db.session.expire_all()
    assert not db.session.get(User, user.id).is_erased


def test_erasure_without_csrf_token_is_refused(app, client, make_user, login):
    """Attack: another site posts the erase form with the victim's cookie. Expect: 400, nothing erased (V3.5.1)."""
    user = make_user()
    login(user)
    response = client.post("/account/erase", data={"password": PASSWORD})
    assert response.status_code == 400
    db.session.expire_all()
    assert not db.session.get(User, user.id).is_erased


def test_erasure_ends_every_session_and_the_old_credentials(app, client, make_user, login, outbox):
    """Attack: another browser, a remember-me cookie or the old password after erasure. Expect: refused (V7.4.2)."""
    user = make_user(email="leaving@example.bg")
    other = app.test_client()
    submit(other, "/account/login", {"email": user.email, "password": PASSWORD, "remember": "y"})
    remember = other.get_cookie("remember_token").value
    login(user)
    assert _erase(client).status_code == 302
    assert client.get("/account/profile").status_code == 302
    assert other.get("/account/profile").status_code == 302
    replay = app.test_client()
    replay.set_cookie("remember_token", remember)
    assert replay.get("/account/profile").status_code == 302
    assert db.session.scalar(db.select(db.func.count(LoginSession.id))) == 0
    failed = submit(app.test_client(), "/account/login", {"email": "leaving@example.bg", "password": PASSWORD})
    assert "We could not sign you in" in failed.get_data(as_text=True)
    submit(app.test_client(), "/account/reset", {"email": "leaving@example.bg"})
    assert not outbox  # no reset link for an erased address


def test_erased_staff_api_token_stops_working(app, client, make_user, login):
    """Attack: a system keeps using an erased person's API token. Expect: the token is gone and refused (V7.4.2)."""
    admin, staff = make_user(role="admin"), make_user(role="staff")
    _token, secret = api_tokens.create(staff, "HR system", "read")
    db.session.commit()
    headers = {"Authorization": f"Bearer {secret}"}
    assert app.test_client().get("/api/v1/courses", headers=headers).status_code == 200
    login(admin)
    response = submit(client, f"/staff/people/{staff.id}/erase", {"confirm": "y"})
    assert response.status_code == 302
    assert app.test_client().get("/api/v1/courses", headers=headers).status_code == 401
    assert db.session.scalar(db.select(db.func.count(ApiToken.id))) == 0


@pytest.mark.parametrize("actor_role, target_role, allowed", [
    ("staff", "learner", True), ("staff", "trainer", True), ("staff", "staff", False), ("staff", "admin", False),
    ("admin", "staff", True), ("admin", "admin", True),
])
def test_who_may_erase_whom_from_the_staff_pages(app, client, make_user, login, actor_role, target_role, allowed):
    """Attack: staff erase a colleague or an administrator. Expect: only admins erase staff accounts (V8.2.1)."""
    actor, target = make_user(role=actor_role), make_user(role=target_role)
    login(actor)
    submit(client, f"/staff/people/{target.id}/erase", {"confirm": "y"})
    db.session.expire_all()
    assert db.session.get(User, target.id).is_erased is allowed


def test_admin_cannot_erase_their_own_account_from_the_staff_pages(app, client, make_user, login):
    """Fault: the last admin erases themselves by mistake. Expect: refused with a message; staff cannot self-erase."""
    admin = make_user(role="admin")
    login(admin)
    page = client.get(f"/staff/people/{admin.id}/erase").get_data(as_text=True)
    assert "You cannot erase your own account here" in page and 'name="confirm"' not in page
    submit(client, f"/staff/people/{admin.id}/erase", {"confirm": "y"}, page=f"/staff/people/{admin.id}")
    assert client.get("/account/erase").status_code == 403
    db.session.expire_all()
    assert not db.session.get(User, admin.id).is_erased


def test_erasing_twice_is_refused(app, client, make_user, login):
    """Fault: a double click or a second admin erases an erased account. Expect: a message, one audit entry."""
    from app.audit import AuditEvent

    staff, learner = make_user(role="staff"), make_user()
    login(staff)
    submit(client, f"/staff/people/{learner.id}/erase", {"confirm": "y"})
    response = submit(client, f"/staff/people/{learner.id}/erase", {"confirm": "y"},
                      page=f"/staff/people/{learner.id}")
    assert response.status_code == 302
    assert "already been erased" in client.get(f"/staff/people/{learner.id}").get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(AuditEvent.id)).where(AuditEvent.action == "user.erased")) == 1


def test_audit_entries_naming_the_person_are_kept_and_unchangeable(app, client, make_user, login):
    """Attack: erasure used to rewrite the append-only audit log. Expect: old entries kept as they were (policy)."""
    from app.audit import AuditEvent

    admin, learner = make_user(role="admin"), make_user(email="audited@example.bg")
    accounts.set_role(learner, "trainer", by=admin)
    db.session.commit()
    login(admin)
    submit(client, f"/staff/people/{learner.id}/erase", {"confirm": "y"})
    entry = db.session.scalar(db.select(AuditEvent).where(AuditEvent.action == "user.role_changed"))
    assert entry.target_label == "audited@example.bg"  # kept until `flask audit prune` (Art. 17(3)(b), (e))
    with pytest.raises(DBAPIError):  # the trigger refuses, on both engines
        db.session.execute(text("UPDATE audit_events SET target_label = 'x'"))
        db.session.flush()
    db.session.rollback()


@pytest.fixture
def app_config(app_config):
    """Development's outbox backend, whose log line once named the recipient."""
    return {**app_config, "MAIL_BACKEND": "outbox"}


def _every_flow(app, client, make_user):
    """Registration, failed and good sign-in, reset, invitation, download, erasure and a 500 error."""
    staff = make_user(role="staff")
    submit(client, "/account/register", {"full_name": "Мария Иванова", "email": "maria.ivanova@example.bg",
                                         "language": "bg", "password": "tajna-parola-123",
                                         "confirm": "tajna-parola-123"})
    submit(client, "/account/logout", {}, page="/account/profile")
    submit(client, "/account/login", {"email": "maria.ivanova@example.bg", "password": "wrong-parola-987"})
    submit(client, "/account/login", {"email": "maria.ivanova@example.bg", "password": "tajna-parola-123"})
    assert download(client).status_code == 200
    submit(app.test_client(), "/account/reset", {"email": "maria.ivanova@example.bg"})
    accounts.invite("georgi.petrov@example.bg", "Георги Петров", invited_by=staff)
    db.session.commit()
    assert _erase(client, password="tajna-parola-123").status_code == 302
    crash = app.test_client()
    token = csrf_token_from(crash.get("/account/login").get_data(as_text=True))
    return crash.post("/test-only/crash", data={"csrf_token": token, "email": "georgi.petrov@example.bg",
                                                "name": "Георги Петров"})


def test_no_personal_data_in_the_logs(app, client, make_user, caplog):
    """Fault: logs (kept longer, read by more people) collect addresses, names or passwords. Expect: none (V16.2.5)."""

    def crash():  # a database error whose statement carries an e-mail address, as a real bug would
        from flask import request

        db.session.execute(text("SELECT * FROM no_such_table WHERE email = :email"),
                           {"email": request.form["email"]})

    app.add_url_rule("/test-only/crash", "test_crash", crash, methods=["POST"])
    caplog.set_level(logging.DEBUG)
    for name in ("werkzeug", app.logger.name, "flask_wtf.csrf"):
        caplog.set_level(logging.DEBUG, logger=name)
    response = _every_flow(app, client, make_user)
    assert response.status_code == 500 and "no_such_table" not in response.get_data(as_text=True)
    logged = "\n".join(record.getMessage() + (caplog.text if record.exc_info else "") for record in caplog.records)
    assert "Unhandled error on POST /test-only/crash" in logged  # the capture works
    assert "E-mail written to" in logged
    for personal in ("maria.ivanova", "georgi.petrov", "example.bg", "Мария", "Иванова", "Георги", "Петров",
                     "tajna-parola-123", "wrong-parola-987"):
        assert personal not in logged, personal
        assert personal not in caplog.text, personal
