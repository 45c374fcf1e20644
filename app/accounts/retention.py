"""Retention (GDPR Art. 5(1)(e)): learners' accounts unused for the configured months are erased.

`flask accounts purge-inactive`, run daily from cron, first erases the accounts whose notice is at
least NOTICE_DAYS old and that have not signed in since, then e-mails a notice to the learners who
reach (months − NOTICE_DAYS) of inactivity. Signing in after the notice cancels it: the comparison
is with the last sign-in, so nothing has to be reset. Staff, admin and trainer accounts are never
purged automatically (trainers author courses; staff accounts carry the audit trail).

"Inactive" means no sign-in since `last_login_at` (or since the account was created). A browser
that stays signed in with "remember me" must sign in again after LOGIN_SESSION_DAYS (30), and the
shortest retention period (3 months) is longer than that plus the notice, so no one who uses the
platform can be purged while they still use it.
"""

import calendar
import smtplib
from dataclasses import dataclass
from datetime import timedelta

from flask_babel import lazy_gettext as _l

from app import mail
from app.accounts import erasure
from app.accounts.models import User
from app.accounts.settings import retention_months
from app.extensions import db
from app.links import external_url
from app.timeutil import utcnow

NOTICE_DAYS = 30


@dataclass
class PurgeResult:
    """What one run did: notices e-mailed, accounts erased, notices that could not be sent."""

    noticed: int = 0
    erased: int = 0
    failed: int = 0


def months_before(moment, months):
    """The same day and time `months` earlier (the month's last day when the day does not exist)."""
    index = moment.year * 12 + moment.month - 1 - months
    year, month = divmod(index, 12)
    month += 1
    return moment.replace(year=year, month=month, day=min(moment.day, calendar.monthrange(year, month)[1]))


def _last_activity():
    return db.func.coalesce(User.last_login_at, User.created_at)


def _purgeable():
    return db.select(User).where(User.role == "learner", User.erased_at.is_(None))


def due_for_notice(now, months):
    """Learners inactive for (months − NOTICE_DAYS) who were not told since they last signed in."""
    threshold = months_before(now, months) + timedelta(days=NOTICE_DAYS)
    return db.session.scalars(_purgeable().where(
        _last_activity() < threshold,
        User.erasure_notice_at.is_(None) | (User.erasure_notice_at < _last_activity()),
    ).order_by(User.id)).all()


def due_for_erasure(now, months):
    """Learners told at least NOTICE_DAYS ago who have not signed in since and are past the period."""
    return db.session.scalars(_purgeable().where(
        User.erasure_notice_at.is_not(None),
        User.erasure_notice_at <= now - timedelta(days=NOTICE_DAYS),
        _last_activity() < User.erasure_notice_at,
        _last_activity() < months_before(now, months),
    ).order_by(User.id)).all()


def send_notice(user, now, months):
    """E-mail the notice in the learner's language and record when it was sent."""
    mail.send_template(
        user, "erasure_notice", _l("Your account will be erased unless you sign in"),
        erase_on=(now + timedelta(days=NOTICE_DAYS)).date(), months=months,
        sign_in_url=external_url("accounts.login"), privacy_url=external_url("pages.privacy"),
    )
    user.erasure_notice_at = now
    db.session.flush()


def purge_inactive(now=None, months=None):
    """Erase the accounts whose notice ran out, then send the new notices; returns a PurgeResult."""
    now = now or utcnow()
    months = retention_months() if months is None else months
    result = PurgeResult()
    if not months:
        return result
    for user in due_for_erasure(now, months):
        erasure.erase_account(user, origin="retention", now=now)
        result.erased += 1
    for user in due_for_notice(now, months):
        try:
            send_notice(user, now, months)
        except (smtplib.SMTPException, OSError):
            result.failed += 1  # not recorded as sent, so the next run tries again; no erasure without it
        else:
            result.noticed += 1
    return result
