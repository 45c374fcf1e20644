"""Account rules: registration, sign-in, password reset, invitations, profile and roles.

Services take plain values, flush rather than commit, and never read `request`.
"""

from datetime import timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l

from app import audit, mail
from app.accounts import sessions, throttling, tokens
from app.accounts.models import (
    ORGANISATION_KINDS,
    ROLES,
    TIME_ACCOMMODATIONS,
    Organisation,
    User,
    email_key,
    find_user_by_email,
)
from app.accounts.passwords import hash_password, needs_rehash, verify_password
from app.database import release_write_lock
from app.extensions import db
from app.links import external_url


class AccountError(Exception):
    """A rule was broken; the message is shown to the user as it is (already translatable)."""

    def __init__(self, message, field=None):
        super().__init__(message)
        self.message = message
        self.field = field


def create_user(email, full_name, password=None, role="learner", organisation=None, language=None):
    """Create an account; e-mail addresses are unique regardless of case."""
    if role not in ROLES:
        raise AccountError(_l("Unknown role."), field="role")
    if find_user_by_email(email) is not None:
        raise AccountError(_l("An account with this e-mail address already exists."), field="email")
    user = User(
        email=email_key(email),
        full_name=full_name.strip(),
        password_hash=hash_password(password) if password else None,
        role=role,
        organisation=organisation,
        language=language,
    )
    db.session.add(user)
    db.session.flush()
    return user


def register(email, full_name, password, organisation_id=None, language=None):
    """Self-registration of a learner (the caller checks that registration is open)."""
    organisation = db.session.get(Organisation, organisation_id) if organisation_id else None
    return create_user(email, full_name, password, organisation=organisation, language=language)


def authenticate(email, password, address):
    """Return the user for correct credentials, else None; raise Throttled after many failures."""
    throttling.check_login_allowed(email, address)
    user = find_user_by_email(email)
    password_hash = user.password_hash if user else None
    release_write_lock()  # nothing is written yet; other sign-ins need not wait for this hash check
    password_ok = verify_password(password_hash, password)
    if user is None or not password_ok or not user.active:
        throttling.record_login_failure(email, address)
        return None
    throttling.clear_login_failures(email)
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    return user


def request_password_reset(email, address):
    """E-mail a reset link if the account exists; the caller says the same thing either way."""
    throttling.hit_reset_request(address)
    user = find_user_by_email(email)
    if user is None or not user.active:
        return
    hours = current_app.config["RESET_TOKEN_HOURS"]
    token = tokens.issue_token(user, "reset", timedelta(hours=hours))
    mail.send_template(
        user, "password_reset", _l("Reset your password"),
        reset_url=external_url("accounts.reset_password", token=token), hours=hours,
    )


def reset_password(token, new_password):
    """Set a new password from a reset link; the link works once. Returns the user or None."""
    record = tokens.consume_token(token, "reset")
    if record is None:
        return None
    _set_password(record.user, new_password)
    throttling.clear_login_failures(record.user.email)
    return record.user


def change_password(user, current_password, new_password):
    """Change a password after checking the current one; all sessions are ended."""
    if not verify_password(user.password_hash, current_password):
        raise AccountError(_l("Your current password is not correct."), field="current_password")
    _set_password(user, new_password)


def invite(email, full_name, invited_by, role="learner", organisation=None, language=None):
    """Create an account without a password and e-mail a link to set one."""
    user = create_user(email, full_name, role=role, organisation=organisation, language=language)
    send_invitation(user, invited_by)
    return user


def send_invitation(user, invited_by=None):
    """(Re)send the set-your-password invitation to a user who has not accepted yet."""
    token = tokens.issue_token(user, "invitation", timedelta(days=current_app.config["INVITATION_TOKEN_DAYS"]))
    mail.send_message(invitation_message(user, token, invited_by))


def invitation_message(user, token, invited_by=None):
    """The e-mail that carries an invitation link."""
    return mail.template_message(
        user, "invitation", _l("You are invited to %(platform)s", platform=current_app.config["PLATFORM_NAME"]),
        accept_url=external_url("accounts.accept_invitation", token=token),
        days=current_app.config["INVITATION_TOKEN_DAYS"], invited_by=invited_by,
    )


def create_invited_users(people, by=None):
    """Create many password-less accounts at once (bulk enrolment); returns {e-mail: (user, token)}.

    `people` are (email, full_name, organisation, language) tuples whose e-mail addresses are new.
    The caller commits, then sends `invitation_message(user, token)` to each.
    """
    users = [User(email=email_key(email), full_name=name.strip(), role="learner", organisation=organisation,
                  language=language) for email, name, organisation, language in people]
    db.session.add_all(users)
    db.session.flush()
    days = current_app.config["INVITATION_TOKEN_DAYS"]
    issued = tokens.issue_first_tokens(users, "invitation", timedelta(days=days))
    for user in users:
        audit.record("user.invited", actor=by, target=user)
    return {user.email: (user, issued[user.id]) for user in users}


def invitation_user(token):
    """The user a valid invitation token belongs to, or None."""
    record = tokens.find_valid_token(token, "invitation")
    return record.user if record else None


def accept_invitation(token, full_name, password):
    """Set the name and password of an invited account; the link works once."""
    record = tokens.consume_token(token, "invitation")
    if record is None:
        return None
    record.user.full_name = full_name.strip()
    _set_password(record.user, password)
    return record.user


def update_profile(user, full_name, organisation_id, language):
    """Change the name printed on certificates, the organisation and the language."""
    if organisation_id and db.session.get(Organisation, organisation_id) is None:
        raise AccountError(_l("Choose an organisation from the list."), field="organisation_id")
    user.full_name = full_name.strip()
    user.organisation_id = organisation_id or None
    user.language = language or None
    db.session.flush()


def set_role(user, role, by=None):
    """Give a user one of the roles learner, trainer, staff or admin (recorded in the audit log)."""
    if role not in ROLES:
        raise AccountError(_l("Unknown role."), field="role")
    if by is not None and by.id == user.id and role != user.role:
        raise AccountError(_l("You cannot change your own role; ask another administrator."), field="role")
    if role == user.role:
        return
    audit.record("user.role_changed", actor=by, target=user, old=user.role, new=role)
    user.role = role
    db.session.flush()


def set_time_accommodation(user, value, by=None):
    """Give a learner extra time (25, 50 or 100 percent more) or no limit in timed quizzes; "" is the standard."""
    if value not in TIME_ACCOMMODATIONS:
        raise AccountError(_l("Choose one of the options."), field="time_accommodation")
    if value == user.time_accommodation:
        return
    audit.record("user.accommodation_changed", actor=by, target=user, old=user.time_accommodation or "standard",
                 new=value or "standard")
    user.time_accommodation = value
    db.session.flush()


def set_active(user, active, by=None):
    """Deactivate (the person can no longer sign in and every session ends) or reactivate an account."""
    if by is not None and by.id == user.id and not active:
        raise AccountError(_l("You cannot deactivate your own account."))
    if user.active == active:
        return
    if by is not None and not active and user.has_role("staff") and not by.has_role("admin"):
        raise AccountError(_l("Only an administrator can deactivate a staff account."))
    user.active = active
    if not active:
        sessions.end_all_sessions(user)
    audit.record("user.reactivated" if active else "user.deactivated", actor=by, target=user)
    db.session.flush()


def save_organisation(name, kind, country, organisation=None, by=None):
    """Create an organisation, or change one; names are unique within a country."""
    name, country = " ".join((name or "").split()), (country or "").strip().upper()
    if not name:
        raise AccountError(_l("Enter the name of the organisation."), field="name")
    if kind not in ORGANISATION_KINDS:
        raise AccountError(_l("Choose the kind of organisation."), field="kind")
    if len(country) != 2 or not country.isalpha() or not country.isascii():
        raise AccountError(_l("Enter the two-letter country code, e.g. BG."), field="country")
    clash = db.session.scalar(db.select(Organisation).where(
        db.func.lower(Organisation.name) == name.lower(), Organisation.country == country))
    if clash is not None and clash is not organisation:
        raise AccountError(_l("An organisation with this name already exists in this country."), field="name")
    created = organisation is None
    if created:
        organisation = Organisation()
        db.session.add(organisation)
    organisation.name, organisation.kind, organisation.country = name[:200], kind, country
    db.session.flush()
    audit.record("organisation.created" if created else "organisation.updated", actor=by, target=organisation,
                 kind=kind, country=country)
    return organisation


def _set_password(user, password):
    user.password_hash = hash_password(password)
    sessions.end_all_sessions(user)
    db.session.flush()

