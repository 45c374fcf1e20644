"""Content: courses, versions, lessons; the package format, its validator, importer and exporter."""

from flask import Blueprint

bp = Blueprint("content", __name__, template_folder="templates")

from app.content import routes  # noqa: E402,F401
