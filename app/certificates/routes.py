"""Public verification of certificates: a page for people, JSON for machines."""

from datetime import date

from flask import current_app, jsonify, redirect, render_template, request, url_for

from app.certificates import bp, codes, services
from app.extensions import limiter


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
    certificate = services.find(code)
    if certificate is None:
        return render_template("certificates/verify.html", certificate=None, code=code[:40], status="unknown"), 404
    status = certificate.status_on(date.today())
    return render_template("certificates/verify.html", certificate=certificate, status=status,
                           code=codes.formatted(certificate.code))


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
