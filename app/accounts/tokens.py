"""Single-use, expiring e-mail tokens; only their SHA-256 is stored."""

import hashlib
import secrets
from datetime import timedelta

from app.accounts.models import AccountToken
from app.extensions import db
from app.timeutil import utcnow


def token_hash(token):
    """Return the hex SHA-256 of a token, as stored in the database."""
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def issue_token(user, purpose, lifetime):
    """Create a token for `user` valid for `lifetime`; older unused tokens of the purpose die."""
    now = utcnow()
    db.session.execute(
        db.update(AccountToken)
        .where(AccountToken.user_id == user.id, AccountToken.purpose == purpose)
        .where(AccountToken.used_at.is_(None))
        .values(used_at=now)
    )
    token = secrets.token_urlsafe(32)
    db.session.add(
        AccountToken(
            token_hash=token_hash(token),
            purpose=purpose,
            user_id=user.id,
            created_at=now,
            expires_at=now + timedelta(seconds=lifetime.total_seconds()),
        )
    )
    db.session.flush()
    return token


def issue_first_tokens(users, purpose, lifetime):
    """Tokens for accounts that have none yet (just created), in one batch: {user id: token}."""
    now, issued = utcnow(), {}
    for user in users:
        issued[user.id] = secrets.token_urlsafe(32)
    db.session.add_all([
        AccountToken(token_hash=token_hash(token), purpose=purpose, user_id=user_id, created_at=now,
                     expires_at=now + timedelta(seconds=lifetime.total_seconds()))
        for user_id, token in issued.items()
    ])
    db.session.flush()
    return issued


def find_valid_token(token, purpose):
    """Return the unused, unexpired token record for this raw token, or None."""
    if not token or len(token) > 200:
        return None
    record = db.session.scalar(
        db.select(AccountToken).where(
            AccountToken.token_hash == token_hash(token), AccountToken.purpose == purpose
        )
    )
    if record is None or record.used_at is not None or record.expires_at <= utcnow():
        return None
    return record


def consume_token(token, purpose):
    """Mark the token used and return its record; None if it was invalid or already used.

    The UPDATE's WHERE clause makes two concurrent uses of one token succeed only once.
    """
    record = find_valid_token(token, purpose)
    if record is None:
        return None
    result = db.session.execute(
        db.update(AccountToken)
        .where(AccountToken.id == record.id, AccountToken.used_at.is_(None))
        .values(used_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        return None
    db.session.refresh(record)
    return record
