"""The JSON API (/api/v1) for the hub's other systems, with personal tokens and an OpenAPI document."""

from flask import Blueprint, current_app

from app.extensions import csrf, limiter

bp = Blueprint("api", __name__, url_prefix="/api/v1")

# Authenticated by a bearer token, never by cookies, so there is nothing for CSRF to protect.
csrf.exempt(bp)
limiter.limit(lambda: current_app.config.get("API_RATE_LIMIT", "600 per minute"))(bp)

from app.api import auth, openapi, routes  # noqa: E402,F401  (they attach themselves to bp)
