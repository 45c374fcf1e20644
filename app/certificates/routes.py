"""Verification for anyone (a page, JSON, the issuer profile, the revocation list); files for holders."""

import json
from datetime import date

from flask import abort, current_app, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.certificates import badges, bp, codes, documents, privacy, services
from app.errors import render_error
from app.extensions import db, limiter


def _verify_limit():
    return current_app.config.get("VERIFY_RATE_LIMIT", "60 per minute")


@bp.route("/verify")
@limiter.limit(_verify_limit)
def verify_form():
    """Type a code (or arrive from a QR code with ?code=)."""
    typed = request.args.get("code", "")[:100]
    if typed:
        code = codes.normalise(typed)
        if code:
            return redirect(url_for("certificates.verify", code=codes.formatted(code)))
        return render_template("certificates/verify_form.html", typed=typed, invalid=True), 200
    return render_template("certificates/verify_form.html", typed="", invalid=False)


@bp.route("/verify/<code>")
@limiter.limit(_verify_limit)
def verify(code):
    """Valid, expired, revoked (with reason and date) or not found, with what a verifier needs."""
    certificate, account_closed = privacy.find_for_verification(code)
    if certificate is None:
        return render_template("certificates/verify.html", certificate=None, code=code[:40], status="unknown"), 404
    status = certificate.status_on(date.today())
    return render_template("certificates/verify.html", certificate=certificate, status=status,
                           code=codes.formatted(certificate.code),
                           account_closed=account_closed)


@bp.route("/api/v1/certificates/<code>")
@limiter.limit(_verify_limit)
def api_status(code):
    """Public status as JSON (no e-mail or other personal data beyond the name on the certificate)."""
    certificate = services.find(code)
    if certificate is None:
        return jsonify(status="unknown"), 404
    payload = {
        "code": codes.formatted(certificate.code), "status": certificate.status_on(date.today()),
        "holder": certificate.learner_name, "course": certificate.course_title, "hours": certificate.hours,
        "language": certificate.language, "completed_on": certificate.completed_on.isoformat(),
        "issued_on": certificate.issued_at.date().isoformat(),
        "valid_until": certificate.valid_until.isoformat() if certificate.valid_until else None,
        "issuer": current_app.config["HUB_NAME"],
    }
    if certificate.state == "revoked":
        payload.update(revoked_on=certificate.revoked_at.date().isoformat(),
                       revocation_reason=certificate.revoked_reason)
    response = jsonify(payload)
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


@bp.route("/issuer")
def issuer():
    """The issuer Profile with its public keys, for anyone checking a credential file."""
    return _json(badges.issuer_profile())


@bp.route("/credentials/status-list")
def status_list():
    """The signed revocation list: the bit of a revoked certificate is set."""
    response = _json(badges.status_list_credential())
    response.cache_control.max_age = 300
    return response


@bp.route("/certificates/<code>/credential.json")
@login_required
def credential(code):
    """The holder's Open Badges 3.0 credential (the holder and staff only)."""
    certificate = _own_certificate(code)
    response = _json(badges.signed(certificate))
    response.headers["Content-Disposition"] = f'attachment; filename="{certificate.code}-credential.json"'
    return response


def _own_certificate(code):
    """The certificate if it belongs to the signed-in learner (or they are staff); 404 otherwise."""
    certificate = services.find(code)
    if certificate is None or not (certificate.user_id == current_user.id or current_user.has_role("staff")):
        abort(404)
    return certificate


def _json(document):
    response = current_app.response_class(json.dumps(document, ensure_ascii=False, indent=2),
                                          mimetype="application/json")
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


@bp.route("/certificates/<code>.pdf")
@login_required
def certificate_pdf(code):
    """The holder's PDF (staff too); rendered once and stored, and a failure loses nothing."""
    certificate = _own_certificate(code)
    try:
        data = documents.stored_pdf(certificate)
        db.session.commit()
    except Exception:  # a rendering failure must not lose the certificate or show a trace
        db.session.rollback()
        current_app.logger.exception("Rendering the PDF of certificate %s failed", certificate.id)
        return render_error(503, _("Your certificate is safe and valid, but its PDF could not be made just now. "
                                   "Please try the download again in a few minutes."), retry_after=60)
    response = current_app.response_class(data, mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'attachment; filename="{documents.download_name(certificate)}"'
    return response
