"""Trainer studio: upload, edit, preview, publish and download course packages."""

from flask import Blueprint

bp = Blueprint("studio", __name__, url_prefix="/trainer", template_folder="templates")

from app.studio import routes  # noqa: E402,F401
