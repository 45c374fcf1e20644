"""Certificates: issuance, codes, verification, PDF rendering, revocation and Open Badges 3.0."""

from flask import Blueprint

bp = Blueprint("certificates", __name__, template_folder="templates")

from app.certificates import codes, dashboard, privacy, routes, services  # noqa: E402,F401  (routes, receivers)


@bp.app_template_filter("certificate_code")
def _certificate_code(code):
    """Show a stored code in its printed, grouped form."""
    return codes.formatted(code)
