"""Site settings an admin changes at run time; the config gives the defaults."""

from flask import current_app

from app.accounts.models import SiteSetting
from app.extensions import db

REGISTRATION_MODES = ("open", "invitation")


def get_setting(key, default=None):
    """Return a stored setting, or `default` when none is stored."""
    row = db.session.get(SiteSetting, key)
    return row.value if row is not None else default


def set_setting(key, value):
    """Store a setting (created or replaced)."""
    row = db.session.get(SiteSetting, key)
    if row is None:
        db.session.add(SiteSetting(key=key, value=value))
    else:
        row.value = value
    db.session.flush()


def registration_mode():
    """'open' (anyone may register) or 'invitation' (accounts only through invitations)."""
    mode = get_setting("registration_mode", current_app.config["REGISTRATION_MODE"])
    return mode if mode in REGISTRATION_MODES else "invitation"


def set_registration_mode(mode):
    """Open or close self-registration."""
    if mode not in REGISTRATION_MODES:
        raise ValueError(f"registration mode must be one of {REGISTRATION_MODES}")
    set_setting("registration_mode", mode)


RETENTION_MONTHS_RANGE = (3, 120)  # above the 30-day notice plus the 30-day remember-me sign-in


def retention_months():
    """Months of inactivity after which a learner's account is erased; 0 keeps accounts until erased."""
    value = get_setting("retention_months", "0")
    return int(value) if value.isdigit() else 0


def set_retention_months(months):
    """Store the retention period: 0 (keep) or a number of months within RETENTION_MONTHS_RANGE."""
    low, high = RETENTION_MONTHS_RANGE
    if months != 0 and not low <= months <= high:
        raise ValueError(f"retention must be 0 or between {low} and {high} months")
    set_setting("retention_months", str(months))
