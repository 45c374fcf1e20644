"""The audit log: who did what to whom, when and from where. Rows are written once and never changed.

Services call `record(...)` for every staff and admin action (role changes, deactivation, enrolment
by someone else, certificate issue/re-issue/revoke, course publishing, cohort changes). The web app
offers no way to edit or delete an entry: the ORM refuses to update or delete one, and on both
engines a trigger (migration 0008) refuses UPDATE. Old entries can only be pruned by the operator's CLI command.
"""

from datetime import datetime, timedelta

import click
from flask import has_request_context, request
from flask.cli import AppGroup
from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, Index, String, event
from sqlalchemy.orm import Mapped, Session, mapped_column

from app.database import contains
from app.extensions import db
from app.timeutil import utcnow

# Each action with how the log page names it.
ACTIONS = {
    "user.role_changed": _l("Role changed"),
    "user.deactivated": _l("Account deactivated"),
    "user.reactivated": _l("Account reactivated"),
    "user.accommodation_changed": _l("Extra time in quizzes changed"),
    "user.invited": _l("Account created with an invitation"),
    "user.erased": _l("Account erased (personal data removed)"),
    "organisation.created": _l("Organisation created"),
    "organisation.updated": _l("Organisation changed"),
    "enrolment.created": _l("Learner enrolled"),
    "certificate.issued": _l("Certificate issued"),
    "certificate.reissued": _l("Certificate re-issued"),
    "certificate.revoked": _l("Certificate revoked"),
    "course.published": _l("Course version published"),
    "course.unpublished": _l("Course unpublished"),
    "cohort.created": _l("Cohort created"),
    "cohort.updated": _l("Cohort changed"),
    "cohort.enrolled": _l("Learners enrolled from a file"),
    "api_token.created": _l("API token created"),
    "api_token.revoked": _l("API token revoked"),
    "skills.min_group_changed": _l("Smallest group in the skills needs report changed"),
}


class AuditEvent(db.Model):
    """One recorded action. The actor is kept by id and by e-mail as it was at the time."""

    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    actor_id: Mapped[int | None]  # no foreign key: the log outlives the account
    actor_email: Mapped[str | None] = mapped_column(String(254))
    action: Mapped[str] = mapped_column(String(40), index=True)
    target_type: Mapped[str | None] = mapped_column(String(40))
    target_id: Mapped[int | None]
    target_label: Mapped[str | None] = mapped_column(String(300))
    details: Mapped[dict] = mapped_column(JSON, default=dict)
    address: Mapped[str | None] = mapped_column(String(45))  # IPv4 or IPv6 of the request
    origin: Mapped[str] = mapped_column(String(10), default="web")  # web | api | cli

    __table_args__ = (Index("ix_audit_events_target", "target_type", "target_id"),)

    @property
    def action_label(self):
        return ACTIONS.get(self.action, self.action)


def record(action, actor=None, target=None, label=None, **details):
    """Add an entry to the current transaction; it is saved (or rolled back) with the action itself."""
    if action not in ACTIONS:
        raise ValueError(f"Unknown audit action {action!r}")
    address, origin = None, "cli"
    if has_request_context():
        address = request.remote_addr
        origin = "api" if (request.blueprint or "").startswith("api") else "web"
    event_ = AuditEvent(
        action=action,
        actor_id=getattr(actor, "id", None),
        actor_email=getattr(actor, "email", None),
        target_type=type(target).__name__.lower() if target is not None else None,
        target_id=getattr(target, "id", None),
        target_label=(label or _default_label(target) or "")[:300] or None,
        details={key: _plain(value) for key, value in details.items()},
        address=address,
        origin=origin,
    )
    db.session.add(event_)
    return event_


def _default_label(target):
    for attribute in ("email", "slug", "code", "name"):
        value = getattr(target, attribute, None)
        if value:
            return str(value)
    return None


def _plain(value):
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    return str(value)


@event.listens_for(Session, "before_flush")
def _refuse_changes(session, flush_context, instances):
    for obj in session.deleted:
        if isinstance(obj, AuditEvent):
            raise PermissionError("Audit log entries cannot be deleted.")
    for obj in session.dirty:
        if isinstance(obj, AuditEvent) and session.is_modified(obj):
            raise PermissionError("Audit log entries cannot be changed.")


def prune(before):
    """Delete entries older than `before` (retention, run by the operator); returns how many."""
    result = db.session.execute(db.delete(AuditEvent).where(AuditEvent.at < before))
    return result.rowcount


PER_PAGE = 50


def search(action="", actor="", target="", since=None, until=None, page=1):
    """A page of entries, newest first, filtered by action, actor e-mail, target text and dates."""
    statement = db.select(AuditEvent).order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
    if action in ACTIONS:
        statement = statement.where(AuditEvent.action == action)
    if actor:
        statement = statement.where(contains(AuditEvent.actor_email, actor))
    if target:
        statement = statement.where(contains(AuditEvent.target_label, target))
    if since is not None:
        statement = statement.where(AuditEvent.at >= since)
    if until is not None:
        statement = statement.where(AuditEvent.at < until)
    return db.paginate(statement, page=page, per_page=PER_PAGE, error_out=False)



audit_cli = AppGroup("audit", help="Look after the audit log.")


@audit_cli.command("prune")
@click.option("--older-than", "days", type=click.IntRange(min=30), required=True,
              help="Delete entries older than this many days (at least 30).")
def prune_command(days):
    """Delete old entries, as the hub's retention policy requires (e.g. --older-than 1825 for five years)."""
    deleted = prune(utcnow() - timedelta(days=days))
    db.session.commit()
    click.echo(f"Deleted {deleted} audit log entries older than {days} days.")
