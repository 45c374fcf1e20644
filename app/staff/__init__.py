"""Staff and admin tools."""

from flask import Blueprint

bp = Blueprint("staff", __name__, url_prefix="/staff", template_folder="templates")

from app.staff import routes  # noqa: E402,F401
