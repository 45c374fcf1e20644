"""Erasure (GDPR Art. 17): the account is pseudonymised, not deleted.

What goes: the name, e-mail address, password, organisation, extra-time accommodation, every login
session, e-mail token and API token, and (through the packages' registered erasers) the text of
free-text quiz answers and trainers' comments on them. What stays: the row itself under a
pseudonym, so that enrolments, scores and attempts still count in course statistics, and issued
certificate records, which employers must still be able to verify (Art. 17(3)(b) and (e); the
privacy notice and docs/decisions.md explain it). Audit entries are append-only and stay until
`flask audit prune`; the erasure itself is audited under the pseudonym only.
"""

import secrets

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app import audit
from app.accounts import privacy
from app.accounts.models import AccountToken, ApiToken, LoginSession
from app.accounts.passwords import verify_password
from app.extensions import db
from app.timeutil import utcnow

ORIGINS = ("self", "staff", "retention")


class ErasureError(Exception):
    """The erasure is refused; the message says why (already translatable)."""

    def __init__(self, message, field=None):
        super().__init__(message)
        self.message = message
        self.field = field


def pseudonym(user_id):
    """The name an erased account carries, in the hub's default language (staff lists show it)."""
    with force_locale(current_app.config["BABEL_DEFAULT_LOCALE"]):
        return _("Erased user %(number)d", number=user_id)


def erased_email_address(user_id):
    """A unique address that can never receive mail or be typed at sign-in (.invalid, RFC 2606)."""
    return f"erased-{user_id}-{secrets.token_hex(6)}@erased.invalid"


def may_erase_from_profile(user):
    """Learners and trainers erase their own account; staff and admins ask another administrator."""
    return not user.has_role("staff")


def check_staff_may_erase(person, by):
    """Raise ErasureError unless `by` may erase `person` from the staff pages."""
    if person.is_erased:
        raise ErasureError(_l("This account has already been erased."))
    if by.id == person.id:
        raise ErasureError(_l("You cannot erase your own account here; ask another administrator."))
    if person.has_role("staff") and not by.has_role("admin"):
        raise ErasureError(_l("Only an administrator can erase a staff account."))


def erase_own_account(user, password, withdraw_certificates=False):
    """Erase the signed-in person's account after checking their current password."""
    if not may_erase_from_profile(user):
        raise ErasureError(_l("Staff and administrator accounts are erased by another administrator."))
    if not verify_password(user.password_hash, password or ""):
        raise ErasureError(_l("Your password is not correct."), field="password")
    erase_account(user, origin="self", withdraw_certificates=withdraw_certificates)


def erase_account(user, origin, by=None, withdraw_certificates=False, now=None):
    """Pseudonymise `user` and everything the packages hold about them; flushes, never commits."""
    if origin not in ORIGINS:
        raise ValueError(f"origin must be one of {ORIGINS}")
    if user.is_erased:
        raise ErasureError(_l("This account has already been erased."))
    for eraser in privacy.erasers():  # before the name changes: erasers may read the account as it was
        eraser(user, withdraw_certificates)
    for model in (LoginSession, AccountToken, ApiToken):  # every way back into the account
        db.session.execute(db.delete(model).where(model.user_id == user.id))
    user.full_name = pseudonym(user.id)
    user.email = erased_email_address(user.id)
    user.password_hash = None
    user.organisation_id = None
    user.organisation = None
    user.time_accommodation = ""  # an accommodation can hint at a disability (Art. 9 data)
    user.last_login_at = None
    user.erasure_notice_at = None
    user.active = False
    user.erased_at = now or utcnow()
    db.session.flush()
    # Recorded after the change, so neither the actor's nor the target's stored e-mail is the real one
    # when the person erased themselves; staff are recorded as the actor as usual.
    audit.record("user.erased", actor=by or (user if origin == "self" else None), target=user,
                 label=user.full_name, requested_by=origin, certificates_withdrawn=withdraw_certificates)
    db.session.flush()
