"""Certificates in a learner's data download, and the certificate policy on erasure.

Policy (docs/decisions.md, the privacy notice): an issued certificate record is kept when its holder
erases their account, so that an employer can still verify it (GDPR Art. 17(3)(b) and (e)); the
verification page then says that the holder's account was closed. The stored PDF goes in any case
(it can be rendered again from the record). If the holder also withdraws their certificates, each
is revoked with the reason "withdrawn at the holder's request", in the certificate's language, and
the name on it is replaced by the account's pseudonym.
"""

from datetime import date

from flask_babel import force_locale
from flask_babel import gettext as _

from app import audit
from app.accounts import privacy
from app.accounts.erasure import pseudonym
from app.accounts.models import User
from app.accounts.privacy import iso
from app.certificates import codes
from app.certificates.models import Certificate
from app.extensions import db
from app.links import external_url
from app.timeutil import utcnow


def certificates_section(user):
    """Every certificate of the learner, with its state and verification address (one query)."""
    certificates = db.session.scalars(db.select(Certificate).where(Certificate.user_id == user.id)
                                      .order_by(Certificate.issued_at, Certificate.id)).all()
    today = date.today()
    return [{
        "code": codes.formatted(certificate.code), "name_on_certificate": certificate.learner_name,
        "course_title": certificate.course_title, "language": certificate.language, "hours": certificate.hours,
        "competences": certificate.competences, "completed_on": iso(certificate.completed_on),
        "issued_at": iso(certificate.issued_at), "valid_until": iso(certificate.valid_until),
        "state": certificate.status_on(today), "revoked_at": iso(certificate.revoked_at),
        "revocation_reason": certificate.revoked_reason,
        "verification_url": external_url("certificates.verify", code=codes.formatted(certificate.code)),
    } for certificate in certificates]


def _about_certificates(user):
    return (audit.AuditEvent.target_type == "certificate") & audit.AuditEvent.target_id.in_(
        db.select(Certificate.id).where(Certificate.user_id == user.id))


def withdrawal_reason(language):
    """The revocation reason verifiers read, in the certificate's language."""
    with force_locale(language):
        return _("Withdrawn at the holder's request.")


def erase_certificates(user, withdraw_certificates):
    """Drop stored PDFs; when the holder withdraws them, revoke every certificate and replace the name."""
    now = utcnow()
    for certificate in db.session.scalars(db.select(Certificate).where(Certificate.user_id == user.id)).all():
        certificate.pdf, certificate.pdf_template = None, None
        if not withdraw_certificates:
            continue
        certificate.learner_name = pseudonym(user.id)
        if certificate.state != "revoked":
            certificate.state, certificate.revoked_at = "revoked", now
            certificate.revoked_reason = withdrawal_reason(certificate.language)
    db.session.flush()


def find_for_verification(code_text):
    """(certificate, whether its holder closed their account) for a typed code, or (None, False); one query."""
    code = codes.normalise(code_text)
    if not code:
        return None, False
    row = db.session.execute(db.select(Certificate, User.erased_at).join(User, Certificate.user_id == User.id)
                             .where(Certificate.code == code)).first()
    return (row[0], row[1] is not None) if row else (None, False)


privacy.register_section("certificates", certificates_section)
privacy.register_audit_subject(_about_certificates)
privacy.register_eraser(erase_certificates)
