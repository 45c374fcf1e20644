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
