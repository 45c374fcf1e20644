"""Time helpers: the database stores naive UTC; code compares in UTC."""

from datetime import UTC, datetime


def utcnow():
    """Return the current UTC time without tzinfo, as stored in the database."""
    return datetime.now(UTC).replace(tzinfo=None)
