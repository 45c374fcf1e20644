"""Server-side login sessions: a cookie is worth nothing once its session is revoked."""

import secrets
from datetime import timedelta

from flask import current_app

from app.accounts.models import LoginSession
from app.accounts.tokens import token_hash
from app.extensions import db
from app.timeutil import utcnow


def start_session(user):
    """Open a login session for `user` and return the token Flask-Login will store."""
    token = secrets.token_urlsafe(32)
    now = utcnow()
    days = current_app.config["LOGIN_SESSION_DAYS"]
    db.session.add(
        LoginSession(
            token_hash=token_hash(token), user_id=user.id, created_at=now,
            expires_at=now + timedelta(days=days),
        )
    )
    user.login_token = token
    user.last_login_at = now
    db.session.flush()
    return token


def load_session_user(token):
    """Return the active user of a live session token, or None (Flask-Login's user loader)."""
    if not token or len(token) > 200:
        return None
    session = db.session.scalar(
        db.select(LoginSession).where(
            LoginSession.token_hash == token_hash(token),
            LoginSession.revoked_at.is_(None),
            LoginSession.expires_at > utcnow(),
        )
    )
    if session is None or not session.user.active:
        return None
    session.user.login_token = token
    return session.user


def end_session(token):
    """Revoke one login session (logout)."""
    if token:
        db.session.execute(
            db.update(LoginSession)
            .where(LoginSession.token_hash == token_hash(token), LoginSession.revoked_at.is_(None))
            .values(revoked_at=utcnow())
        )


def end_all_sessions(user):
    """Revoke every login session of `user` (password change, reset, deactivation)."""
    db.session.execute(
        db.update(LoginSession)
        .where(LoginSession.user_id == user.id, LoginSession.revoked_at.is_(None))
        .values(revoked_at=utcnow())
    )


def count_live_sessions(user):
    """Number of sessions of `user` that would still let a browser in."""
    return db.session.scalar(
        db.select(db.func.count(LoginSession.id)).where(
            LoginSession.user_id == user.id,
            LoginSession.revoked_at.is_(None),
            LoginSession.expires_at > utcnow(),
        )
    )

