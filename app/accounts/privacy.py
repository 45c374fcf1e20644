"""The learner's copy of their personal data (GDPR Art. 15 and 20), and the registry that builds it.

Accounts is the lowest layer, so it cannot import learning, quizzes or certificates. Each package
that holds personal data registers what it holds here instead (as learning's dashboard_extras and
quiz_results do): an exporter that returns its section of the download and, when erasure must
change its rows, an eraser. Each exporter runs a fixed number of queries, so the download costs the
same number of queries however much a learner has done.

The download is one JSON document, versioned by its "format" key (`FORMAT`); docs/decisions.md
("Privacy") describes its sections. A new version of the format gets a new number; within one
version fields are only ever added.
"""

from flask import current_app

from app import audit
from app.accounts.models import ApiToken
from app.extensions import db
from app.timeutil import utcnow

FORMAT = "cyber4all-personal-data/1"

_exporters = {}
_erasers = []
_audit_subjects = []


def register_section(name, exporter):
    """`exporter(user)` returns the JSON-ready value stored under `name` in the download."""
    _exporters[name] = exporter


def register_eraser(eraser):
    """`eraser(user, withdraw_certificates)` removes or pseudonymises the package's personal data."""
    if eraser not in _erasers:
        _erasers.append(eraser)


def register_audit_subject(condition):
    """`condition(user)` returns an SQL condition on AuditEvent for entries about the user's own rows."""
    if condition not in _audit_subjects:
        _audit_subjects.append(condition)


def erasers():
    """The erasers registered by the packages above accounts, in registration order."""
    return list(_erasers)


def iso(value):
    """A date or time as ISO 8601 text (times are UTC), or None."""
    return value.isoformat() if value is not None else None


def export_personal_data(user, now=None):
    """Everything the platform holds about `user`, as one JSON-ready dict."""
    now = now or utcnow()
    document = {
        "format": FORMAT,
        "exported_at": iso(now.replace(microsecond=0)),
        "platform": current_app.config["PLATFORM_NAME"],
        "controller": {"name": current_app.config["HUB_NAME"], "contact": current_app.config["CONTACT_EMAIL"]},
        "profile": _profile(user),
        "organisation": _organisation(user),
        "api_tokens": _api_tokens(user),
        "audit_log": _audit_entries(user),
    }
    for name, exporter in _exporters.items():
        document[name] = exporter(user)
    return document


def download_name(now=None):
    """The file name of the download, with the day it was made."""
    return f"cyber4all-my-data-{(now or utcnow()).date().isoformat()}.json"


def _profile(user):
    # Never the password hash or any token hash: they are secrets, not information about the person.
    return {
        "id": user.id, "email": user.email, "full_name": user.full_name, "role": user.role,
        "language": user.language, "active": user.active, "created_at": iso(user.created_at),
        "last_signed_in_at": iso(user.last_login_at), "has_password": user.has_password,
        "extra_time_in_timed_quizzes": user.time_accommodation or None,
    }


def _organisation(user):
    organisation = user.organisation  # loaded with the user (joined)
    if organisation is None:
        return None
    return {"name": organisation.name, "kind": organisation.kind, "country": organisation.country}


def _api_tokens(user):
    tokens = db.session.scalars(db.select(ApiToken).where(ApiToken.user_id == user.id).order_by(ApiToken.id))
    return [{"name": token.name, "prefix": token.prefix, "scope": token.scope, "created_at": iso(token.created_at),
             "last_used_at": iso(token.last_used_at), "revoked_at": iso(token.revoked_at)} for token in tokens]


def _audit_entries(user):
    """Entries about the person and entries they made (one query).

    Entries they made about someone else leave out that person's name or address (Art. 15(4):
    a copy must not disclose other people's data); staff who acted on the person are named by role.
    """
    about = (audit.AuditEvent.target_type == "user") & (audit.AuditEvent.target_id == user.id)
    for condition in _audit_subjects:
        about = about | condition(user)
    entries = db.session.scalars(
        db.select(audit.AuditEvent).where(about | (audit.AuditEvent.actor_id == user.id))
        .order_by(audit.AuditEvent.at, audit.AuditEvent.id))
    result = []
    for entry in entries:
        is_about = entry.actor_id != user.id or (entry.target_type == "user" and entry.target_id == user.id)
        by_self = entry.actor_id == user.id
        row = {"at": iso(entry.at), "action": entry.action, "description": str(entry.action_label),
               "by": "you" if by_self else ("hub staff" if entry.actor_id else "the platform"),
               "about": entry.target_type, "origin": entry.origin}
        if by_self:
            row["address"] = entry.address  # the person's own address when they acted
        if is_about:
            row["details"] = entry.details
        result.append(row)
    return result
