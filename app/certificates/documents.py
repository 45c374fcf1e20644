"""The certificate's PDF: rendered once, stored, re-rendered when the template changes; never lost."""

import hashlib
import json
from pathlib import Path

from flask import current_app

from app.certificates import badges, codes, pdf
from app.extensions import db
from app.i18n import localized_setting
from app.links import external_url

_TEMPLATE_FILES = (Path(__file__).parent / "templates" / "certificates" / "certificate.html", pdf.CSS_PATH)


def template_version():
    """A short digest of the template, its stylesheet and the signatory settings."""
    digest = hashlib.sha256()
    for path in _TEMPLATE_FILES:
        digest.update(path.read_bytes())
    config = current_app.config
    for key in ("HUB_NAME", "SIGNATORY_NAME", "SIGNATORY_TITLE", "PLATFORM_NAME", "BRAND_LOGO",
                "HUB_NAME_BG", "SIGNATORY_NAME_BG", "SIGNATORY_TITLE_BG"):
        digest.update(str(config.get(key)).encode())
    return digest.hexdigest()[:16]


def context_of(certificate):
    """What the template shows, from the certificate's frozen record."""
    config = current_app.config
    code = codes.formatted(certificate.code)
    language = certificate.language
    return {
        "learner_name": certificate.learner_name, "course_title": certificate.course_title,
        "language": certificate.language, "hours": certificate.hours, "competences": certificate.competences,
        "completed_on": certificate.completed_on, "issued_on": certificate.issued_at.date(),
        "valid_until": certificate.valid_until, "code": code,
        "verify_url": external_url("certificates.verify", code=code),
        "issuer_name": localized_setting("HUB_NAME", language),
        "signatory_name": localized_setting("SIGNATORY_NAME", language),
        "signatory_title": localized_setting("SIGNATORY_TITLE", language),
        "platform_name": config["PLATFORM_NAME"],
    }


class IncompletePdf(RuntimeError):
    """The renderer returned something that is not a whole PDF; it must not be stored."""


def render(certificate):
    """Render the PDF with the signed credential attached (PDF/A-3); does not store it."""
    credential = json.dumps(badges.signed(certificate), ensure_ascii=False, indent=2).encode("utf-8")
    data = pdf.render_pdf(context_of(certificate), attachments=[("credential.json", credential, "application/json")])
    # A whole PDF starts with its header and ends with %%EOF (ISO 32000-2, 7.5.2 and 7.5.5); a truncated
    # one stored once would be served for good, since stored files are not rendered again.
    if not data or not data.startswith(b"%PDF-") or b"%%EOF" not in data[-1024:]:
        raise IncompletePdf(f"the renderer returned {len(data or b'')} bytes that are not a whole PDF")
    return data


def stored_pdf(certificate):
    """The stored PDF, rendered first if missing or made with an older template (the caller commits)."""
    version = template_version()
    if certificate.pdf is None or certificate.pdf_template != version:
        certificate.pdf = render(certificate)
        certificate.pdf_template = version
        db.session.flush()
    return certificate.pdf


def download_name(certificate):
    """A safe file name such as Mariya-Ivanova-Cyber-hygiene.pdf."""
    return pdf.safe_filename(f"{certificate.learner_name} {certificate.course_title}") + ".pdf"
