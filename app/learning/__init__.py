"""Learning: enrolment, progress, completion, the course and lesson pages and the dashboard."""

from flask import Blueprint

bp = Blueprint("learning", __name__, template_folder="templates")

from app.learning import privacy, routes  # noqa: E402,F401  (data download section, routes)
