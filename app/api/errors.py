"""Errors the API raises on purpose, answered as JSON (see app.errors.api_error for the shape)."""

from flask_babel import force_locale

from app.api import bp
from app.errors import api_error


class ApiError(Exception):
    """Stop the request with `status` and a clear English message; `extra` joins the error object."""

    def __init__(self, status, message, **extra):
        super().__init__(message)
        self.status = status
        self.message = message
        self.extra = extra


def english(message):
    """A (possibly lazily translated) service message in English, the API's language."""
    with force_locale("en"):
        return str(message)


@bp.errorhandler(ApiError)
def handle_api_error(error):
    """Answer an ApiError as {"error": {"status": ..., "message": ..., ...}}."""
    return api_error(error.status, error.message, **error.extra)
