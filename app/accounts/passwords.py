"""Password hashing with Argon2id; parameters come from the config so tests can run fast."""

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app

# Verified against when the e-mail is unknown, so both paths cost the same time.
_DUMMY_PASSWORD = "not-a-real-password-only-for-equal-timing"  # noqa: S105


def _hasher():
    """Return the hasher for the current app, built once per app."""
    hasher = current_app.extensions.get("academy_password_hasher")
    if hasher is None:
        hasher = PasswordHasher(**current_app.config["PASSWORD_HASH"])
        current_app.extensions["academy_password_hasher"] = hasher
    return hasher


def hash_password(password):
    """Hash a password with the configured Argon2id parameters."""
    return _hasher().hash(password)


def verify_password(password_hash, password):
    """Check a password; a missing hash still costs one verification (no timing oracle)."""
    hasher = _hasher()
    if not password_hash:
        dummy = current_app.extensions.get("academy_dummy_hash")
        if dummy is None:
            dummy = current_app.extensions["academy_dummy_hash"] = hasher.hash(_DUMMY_PASSWORD)
        _safe_verify(hasher, dummy, password)
        return False
    return _safe_verify(hasher, password_hash, password)


def needs_rehash(password_hash):
    """True when the stored hash uses weaker parameters than the current config."""
    return _hasher().check_needs_rehash(password_hash)


def _safe_verify(hasher, password_hash, password):
    try:
        return hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False
