"""Certificates: issuance, codes, verification, PDF rendering, revocation and Open Badges 3.0."""

from flask import Blueprint

bp = Blueprint("certificates", __name__, template_folder="templates")

from app.certificates import routes, services  # noqa: E402,F401  (routes and the completion receiver)
