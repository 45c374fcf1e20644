"""Certificate rules: issue (automatically or by staff), re-issue, revoke, expiry and look-up by code."""

import calendar
from datetime import date, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError

from app import audit
from app.accounts.models import User, find_user_by_email
from app.certificates import codes
from app.certificates.models import Certificate
from app.content.models import Course, CourseVersion
from app.extensions import db
from app.learning.models import Completion
from app.learning.signals import course_completed
from app.timeutil import utcnow

EXPIRY_NOTICE_DAYS = 30


class CertificateError(Exception):
    """The certificate action is refused; the message says why."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


def settings_of(version):
    """The course's certificate settings with defaults: enabled, issued automatically, no expiry."""
    settings = {"enabled": True, "issue": "auto", "valid_months": None}
    settings.update(version.certificate or {})
    return settings


def add_months(day, months):
    """The same day `months` later (the last day of a shorter month when needed)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


def find(code_text):
    """The certificate for a typed code (any case, O/0 and I/L/1 confusions), or None."""
    code = codes.normalise(code_text)
    return db.session.scalar(db.select(Certificate).where(Certificate.code == code)) if code else None


def current_certificate(user_id, course_id, version_id):
    """The valid certificate of a learner for a course version, or None."""
    return db.session.scalar(db.select(Certificate).where(
        Certificate.user_id == user_id, Certificate.course_id == course_id,
        Certificate.version_id == version_id, Certificate.state == "valid"))


def issue(user, course, version, completed_on, issued_by=None, reason=None):
    """Issue a certificate; an existing valid one for the same version is superseded (history kept)."""
    if settings_of(version).get("enabled") is False:
        raise CertificateError(_l("This course gives no certificate."))
    if issued_by is not None and not (reason or "").strip():
        raise CertificateError(_l("Give a reason for issuing by hand."))
    previous = current_certificate(user.id, course.id, version.id)
    if previous is not None:
        previous.state = "superseded"
        db.session.flush()
    months = settings_of(version).get("valid_months")
    certificate = Certificate(
        code=codes.new_code(), user_id=user.id, course_id=course.id, version_id=version.id,
        learner_name=user.full_name, course_title=version.title, language=version.language, hours=version.hours,
        competences=list(version.competences), completed_on=completed_on,
        valid_until=add_months(completed_on, months) if months else None,
        issued_by_id=issued_by.id if issued_by else None, reason=(reason or "").strip()[:2000] or None,
    )
    db.session.add(certificate)
    db.session.flush()
    if previous is not None:
        previous.superseded_by_id = certificate.id
    if issued_by is not None:
        audit.record("certificate.reissued" if previous is not None else "certificate.issued", actor=issued_by,
                     target=certificate, learner=user.email, course=course.slug, reason=certificate.reason)
    return certificate


def revoke(certificate, reason, by=None):
    """Revoke with a reason that verifiers will see."""
    reason = (reason or "").strip()
    if not reason:
        raise CertificateError(_l("Give the reason for the revocation; verifiers will see it."))
    if certificate.state != "valid":
        raise CertificateError(_l("Only a valid certificate can be revoked."))
    certificate.state, certificate.revoked_at, certificate.revoked_reason = "revoked", utcnow(), reason[:1000]
    audit.record("certificate.revoked", actor=by, target=certificate, reason=certificate.revoked_reason)
    db.session.flush()


def awaiting_staff():
    """Completions of courses issued by staff review that have no valid certificate yet."""
    rows = db.session.execute(
        db.select(Completion, User, CourseVersion).join(User, Completion.user_id == User.id)
        .join(CourseVersion, Completion.version_id == CourseVersion.id)
        .outerjoin(Certificate, (Certificate.user_id == Completion.user_id)
                   & (Certificate.version_id == Completion.version_id) & (Certificate.state == "valid"))
        .where(Certificate.id.is_(None)).order_by(Completion.completed_at)
    ).all()
    return [row for row in rows if settings_of(row[2]).get("issue") == "staff"
            and settings_of(row[2]).get("enabled") is not False]


def issue_from_completion(completion, issued_by=None):
    """Issue for a recorded completion (the staff queue and automatic issue both come here)."""
    user = db.session.get(User, completion.user_id)
    course = db.session.get(Course, completion.course_id)
    version = db.session.get(CourseVersion, completion.version_id)
    return issue(user, course, version, completion.completed_at.date(), issued_by=issued_by,
                 reason="review queue" if issued_by else None)


def issue_by_hand(email, course_slug, reason, staff):
    """Staff issue (or re-issue) for a learner's latest completion of a course, with a reason."""
    user = find_user_by_email(email)
    course = db.session.scalar(db.select(Course).where(Course.slug == course_slug.strip()))
    if user is None or course is None:
        raise CertificateError(_l("No learner with this e-mail address, or no course with this slug."))
    completion = db.session.scalar(db.select(Completion).where(
        Completion.user_id == user.id, Completion.course_id == course.id).order_by(Completion.completed_at.desc()))
    if completion is None:
        raise CertificateError(_l("This learner has not completed the course."))
    version = db.session.get(CourseVersion, completion.version_id)
    return issue(user, course, version, completion.completed_at.date(), issued_by=staff, reason=reason)


def of_user(user_id):
    """A learner's certificates, newest first."""
    return db.session.scalars(db.select(Certificate).where(Certificate.user_id == user_id)
                              .order_by(Certificate.issued_at.desc())).all()


def expiring(today=None, within_days=EXPIRY_NOTICE_DAYS):
    """Valid certificates that expire within `within_days` and whose holder has not been told yet."""
    today = today or date.today()
    return db.session.scalars(db.select(Certificate).where(
        Certificate.state == "valid", Certificate.valid_until.is_not(None),
        Certificate.valid_until >= today, Certificate.valid_until <= today + timedelta(days=within_days),
        Certificate.expiry_notice_sent_at.is_(None))).all()


@course_completed.connect
def _issue_on_completion(sender, completion, version, **extra):
    """Courses with `issue: auto` (the default) give their certificate at completion."""
    settings = settings_of(version)
    if settings.get("enabled") is False or settings.get("issue") != "auto":
        return
    try:
        with db.session.begin_nested():
            issue_from_completion(completion)
    except IntegrityError:
        pass  # a concurrent completion issued it already
