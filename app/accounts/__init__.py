"""Accounts: users, organisations, sign-in, invitations, password reset and profile."""

from flask import Blueprint

bp = Blueprint("accounts", __name__, url_prefix="/account", template_folder="templates")

from app.accounts import routes  # noqa: E402,F401  (routes attach themselves to bp)
