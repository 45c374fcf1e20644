"""Skills checks: DigComp self-assessments, learners' profiles with course recommendations, staff needs report."""

from flask import Blueprint

from app.content.kinds import register_package_kind
from app.skills.package import SKILLS_CHECK_KIND, TYPE

bp = Blueprint("skills", __name__, template_folder="templates")

register_package_kind(TYPE, SKILLS_CHECK_KIND)

from app.skills import dashboard, privacy, routes, staff_routes  # noqa: E402,F401
