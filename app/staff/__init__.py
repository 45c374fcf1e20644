"""Staff and admin tools."""

from flask import Blueprint

bp = Blueprint("staff", __name__, url_prefix="/staff", template_folder="templates")

from app.staff import audit_routes, people_routes, report_routes, routes  # noqa: E402,F401
