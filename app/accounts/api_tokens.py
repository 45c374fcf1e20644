"""Personal API tokens for hub staff: shown once, stored as SHA-256, scoped read-only or read-write.

A token is `c4a_` followed by 40 URL-safe characters (240 random bits). Only its hash and its
first characters (so people can tell their tokens apart) are stored. Looking a token up by its hash
is constant-time with respect to the secret: the database compares hashes, never the secret itself.
"""

import secrets
from datetime import timedelta

from flask_babel import lazy_gettext as _l

from app import audit
from app.accounts.models import API_SCOPES, ApiToken
from app.accounts.tokens import token_hash
from app.extensions import db
from app.timeutil import utcnow

SECRET_PREFIX = "c4a_"  # noqa: S105 (a marker that lets secret scanners spot leaked tokens, not a secret)
SECRET_BYTES = 30  # 40 URL-safe characters
PREFIX_LENGTH = 12  # "c4a_" and 8 characters, as shown in the profile
NAME_MAX = 100
MAX_ACTIVE_TOKENS = 20
# last_used_at is a hint for people, not a log: writing it once a minute spares a write per request.
LAST_USED_RESOLUTION = timedelta(minutes=1)


class ApiTokenError(Exception):
    """A rule stops the action; `field` names the form field it concerns."""

    def __init__(self, message, field="name"):
        super().__init__(message)
        self.message = message
        self.field = field


def may_hold_tokens(user):
    """Only active hub staff and admins may create and use API tokens."""
    return bool(user is not None and user.active and user.has_role("staff"))


def of_user(user):
    """The user's tokens that still work, newest first."""
    return db.session.scalars(
        db.select(ApiToken)
        .where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
        .order_by(ApiToken.created_at.desc(), ApiToken.id.desc())
    ).all()


def create(user, name, scope):
    """Create a token; returns (token, secret). The secret exists only in this return value."""
    if not may_hold_tokens(user):
        raise ApiTokenError(_l("Only hub staff can create API tokens."))
    name = " ".join((name or "").split())
    if not name:
        raise ApiTokenError(_l("Give the token a name, such as the system that will use it."))
    if len(name) > NAME_MAX:
        raise ApiTokenError(_l("Use at most %(max)d characters.", max=NAME_MAX))
    if scope not in API_SCOPES:
        raise ApiTokenError(_l("Choose read-only or read and write."), field="scope")
    if len(of_user(user)) >= MAX_ACTIVE_TOKENS:
        raise ApiTokenError(_l("You have %(n)d tokens. Revoke one you no longer use first.", n=MAX_ACTIVE_TOKENS))
    secret = SECRET_PREFIX + secrets.token_urlsafe(SECRET_BYTES)
    token = ApiToken(user_id=user.id, name=name, token_hash=token_hash(secret),
                     prefix=secret[:PREFIX_LENGTH], scope=scope, created_at=utcnow())
    db.session.add(token)
    db.session.flush()
    audit.record("api_token.created", actor=user, target=token, label=token.name, scope=scope)
    return token, secret


def revoke(token, by):
    """Revoke a token for good (revoking twice changes nothing)."""
    if token.revoked_at is not None:
        return
    token.revoked_at = utcnow()
    audit.record("api_token.revoked", actor=by, target=token, label=token.name)
    db.session.flush()


def find_own(user, token_id):
    """One of the user's working tokens by id, or None."""
    token = db.session.get(ApiToken, token_id)
    if token is None or token.user_id != user.id or token.revoked_at is not None:
        return None
    return token


def authenticate(secret):
    """The working token for a secret, or None (unknown, revoked, or its owner is deactivated).

    Whether the owner may use the API (staff or admin) is checked by the caller, which can then
    answer 403 rather than 401. Marks the token used, at most once a minute; the caller commits.
    """
    if not isinstance(secret, str) or not secret.startswith(SECRET_PREFIX) or len(secret) > 200:
        return None
    token = db.session.scalar(db.select(ApiToken).where(ApiToken.token_hash == token_hash(secret)))
    if token is None or token.revoked_at is not None or not token.user.active:
        return None
    now = utcnow()
    if token.last_used_at is None or token.last_used_at <= now - LAST_USED_RESOLUTION:
        token.last_used_at = now
    return token
