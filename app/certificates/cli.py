"""`flask certificates ...`: thin wrappers over the certificate services."""

import json
from pathlib import Path

import click
from flask.cli import AppGroup
from flask_babel import lazy_gettext as _l

from app import mail
from app.accounts.models import User, find_user_by_email
from app.certificates import badges, codes, credentials, documents, keys, services
from app.content.models import Course
from app.extensions import db
from app.learning.models import Completion
from app.links import external_url
from app.timeutil import utcnow

certificates_cli = AppGroup("certificates", help="Issue, revoke and remind about certificates.")


@certificates_cli.command("issue")
@click.option("--email", required=True, help="The learner's e-mail address.")
@click.option("--course", "slug", required=True, help="The course slug.")
@click.option("--reason", default="issued from the command line", show_default=True)
def issue_command(email, slug, reason):
    """Issue (or re-issue) a certificate for a learner's completion of a course."""
    user = find_user_by_email(email)
    course = db.session.scalar(db.select(Course).where(Course.slug == slug))
    if user is None or course is None:
        raise click.ClickException("Unknown e-mail address or course slug.")
    completion = db.session.scalar(db.select(Completion).where(
        Completion.user_id == user.id, Completion.course_id == course.id).order_by(Completion.completed_at.desc()))
    if completion is None:
        raise click.ClickException(f"{email} has not completed {slug}.")
    try:
        certificate = services.issue(user, course, completion.version, completion.completed_at.date(),
                                     reason=reason)
    except services.CertificateError as error:
        raise click.ClickException(str(error.message)) from None
    db.session.commit()
    click.echo(f"Issued {codes.formatted(certificate.code)} to {user.email} for {slug}.")


@certificates_cli.command("revoke")
@click.argument("code")
@click.option("--reason", required=True, help="Shown to everyone who verifies the certificate.")
def revoke_command(code, reason):
    """Revoke a certificate with a reason."""
    certificate = services.find(code)
    if certificate is None:
        raise click.ClickException("No certificate has this code.")
    try:
        services.revoke(certificate, reason)
    except services.CertificateError as error:
        raise click.ClickException(str(error.message)) from None
    db.session.commit()
    click.echo(f"Revoked {codes.formatted(certificate.code)}.")


@certificates_cli.command("render")
@click.argument("code")
@click.argument("out", type=click.Path(dir_okay=False))
def render_command(code, out):
    """Write a certificate's PDF to OUT (rendered and stored first when needed)."""
    certificate = services.find(code)
    if certificate is None:
        raise click.ClickException("No certificate has this code.")
    data = documents.stored_pdf(certificate)
    db.session.commit()
    Path(out).write_bytes(data)
    click.echo(f"Wrote {out} ({len(data)} bytes).")


@certificates_cli.command("send-expiry-notices")
def send_expiry_notices_command():
    """E-mail holders whose certificate expires within 30 days (run daily, e.g. from cron)."""
    sent = 0
    for certificate in services.expiring():
        user = db.session.get(User, certificate.user_id)
        course = db.session.get(Course, certificate.course_id)
        mail.send_template(user, "certificate_expiry", _l("Your certificate expires soon"), certificate=certificate,
                           course_url=external_url("learning.course", slug=course.slug))
        certificate.expiry_notice_sent_at = utcnow()
        db.session.commit()  # one by one: a failing mail server never resends the ones already sent
        sent += 1
    click.echo(f"Sent {sent} reminder(s).")


@certificates_cli.command("verify-credential")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
def verify_credential_command(path):
    """Check an Open Badges 3.0 credential file: schema, signature, dates and our revocation list."""
    try:
        document = json.loads(Path(path).read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise click.ClickException(f"{path}: not a JSON file ({error})") from None
    result = credentials.verify(document, badges.resolve_key_offline)
    status = document.get("credentialStatus") or {}
    ours = status.get("statusListCredential") == badges.external_url("certificates.status_list")
    if result.ok and ours and badges.is_revoked_in_list(badges.status_list_credential(),
                                                        int(status["statusListIndex"])):
        result = credentials.VerificationResult(False, "revoked")
    if not result.ok:
        click.echo(f"{path}: NOT valid: {result.reason}", err=True)
        raise click.exceptions.Exit(1)
    methods = [p.get("verificationMethod", "") for p in (document["proof"] if isinstance(document["proof"], list)
                                                         else [document["proof"]]) if isinstance(p, dict)]
    note = "" if all(badges.is_ours(m) or m.startswith("did:key:") for m in methods) else \
        " (signature checked with the key named in the proof; the issuer's profile was not fetched)"
    click.echo(f"{path}: valid{note}")


@certificates_cli.command("rotate-key")
def rotate_key_command():
    """Start signing with a new key; old keys stay published so existing credentials still verify."""
    click.echo(f"Now signing with key {keys.rotate()}.")
