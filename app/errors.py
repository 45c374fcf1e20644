"""Friendly error pages in the user's language, with a way forward; JSON errors under /api/."""

from flask import current_app, g, has_request_context, jsonify, render_template, request
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from werkzeug.exceptions import HTTPException

from app.extensions import db

MESSAGES = {
    400: (_l("Something in the request was wrong"),
          _l("The page could not understand what was sent. Go back, check the form and try again.")),
    403: (_l("You cannot open this page"),
          _l("Your account does not have access to this page. If you think it should, contact the hub.")),
    404: (_l("Page not found"),
          _l("The address may be mistyped, or the page may have moved.")),
    405: (_l("This action is not possible here"),
          _l("Go back to the previous page and use its buttons.")),
    413: (_l("The file is too large"),
          _l("Files up to 100 MB can be uploaded. Make the file smaller and try again.")),
    429: (_l("Too many attempts"),
          _l("Please wait a few minutes before you try again.")),
    500: (_l("Something went wrong on our side"),
          _l("Nothing you entered is lost. Please try again in a few minutes.")),
    503: (_l("The service is temporarily unavailable"),
          _l("We are working on it. Please try again in a few minutes.")),
}
DATABASE_MESSAGE = _l("We could not reach our database just now. Please wait a minute, then go back and try again.")
CSRF_MESSAGE = _l("The form had expired or was sent from another site. We kept nothing; please fill it in again.")


# The JSON API answers machines, in English (documented in docs/api.md and its OpenAPI document).
API_PREFIX = "/api/"
API_MESSAGES = {
    400: "The request is malformed.",
    401: "A valid API token is required.",
    403: "This token may not do that.",
    404: "Nothing exists at this address.",
    405: "This method is not allowed here.",
    409: "The request conflicts with the current state.",
    413: "The request body is too large.",
    415: "Send the body as JSON with Content-Type: application/json.",
    422: "The request could not be processed.",
    429: "Too many requests. Wait a little and try again.",
    500: "Something went wrong on our side. Nothing was changed; try again in a few minutes.",
    503: "The service is temporarily unavailable. Try again in a few minutes.",
}
PASSED_ON_HEADERS = ("Allow", "Retry-After", "WWW-Authenticate")
# Seconds a client is asked to wait when the database cannot serve it (restart, failover, a held lock).
DATABASE_RETRY_AFTER = 30


def is_api_request():
    """True inside a request to the JSON API (matched or not), whose errors must be JSON."""
    return has_request_context() and request.path.startswith(API_PREFIX)


def api_error(status, message=None, headers=None, **extra):
    """A JSON error: {"error": {"status": 404, "message": "...", ...extra}} with that status."""
    response = jsonify(error={"status": status, "message": message or API_MESSAGES.get(status, API_MESSAGES[500]),
                              **extra})
    response.status_code = status
    response.headers.extend(headers or {})
    return response


def _api_http_error(error):
    code = error.code if error.code in API_MESSAGES else 500 if error.code >= 500 else 400
    # A description given with abort(code, "...") is the message; Werkzeug's stock texts are not.
    # (Flask-Limiter's 429 carries the limit itself, e.g. "60 per 1 minute": not a message.)
    described = code != 429 and error.description and error.description != type(error).description
    headers = {name: value for name, value in error.get_headers() if name in PASSED_ON_HEADERS}
    return api_error(code, error.description if described else None, headers)


def render_error(code, message=None, retry_after=None):
    """Render the error page for `code`; falls back to plain HTML if even that fails."""
    title, default_message = MESSAGES.get(code, MESSAGES[500])
    try:
        html = render_template(
            "errors/error.html", code=code, title=title, message=message or default_message,
            retry_after=retry_after,
        )
    except Exception:  # the layout itself needs the database; never fail twice
        db.session.rollback()
        html = f"<!doctype html><title>{code}</title><h1>{code}</h1>"
    response_headers = {"Retry-After": str(retry_after)} if retry_after else {}
    return html, code, response_headers


def handle_http_exception(error):
    """Render any HTTP error with our page (redirects and the like pass through)."""
    if error.code is None or error.code < 400:
        return error
    if is_api_request():
        return _api_http_error(error)
    if isinstance(error, CSRFError):
        return render_error(400, CSRF_MESSAGE)
    return render_error(error.code if error.code in MESSAGES else 500 if error.code >= 500 else 400)


def database_unavailable(error):
    """True when the database cannot serve us right now (down, restarting, locked), not for a bug in a query.

    psycopg raises OperationalError only for such conditions; SQLite also uses it for mistakes such as
    "no such table" (SQLITE_ERROR), which stay 500s.
    """
    if isinstance(error, PoolTimeout):
        return True
    if isinstance(error, DBAPIError) and error.connection_invalidated:
        return True
    if not isinstance(error, OperationalError):
        return False
    return getattr(error.orig, "sqlite_errorname", None) != "SQLITE_ERROR"


def handle_database_unavailable():
    """The 503 page (or JSON) with Retry-After; it renders without the database."""
    db.session.rollback()
    current_app.logger.warning("Database unavailable on %s %s", request.method, request.path, exc_info=True)
    # The signed-in user cannot be loaded (or refreshed) now: the page shows the visitor as signed out
    # and in the language of the session or the browser, instead of failing to render at all.
    g._login_user = current_app.login_manager.anonymous_user()
    if is_api_request():
        return api_error(503, headers={"Retry-After": str(DATABASE_RETRY_AFTER)})
    return render_error(503, DATABASE_MESSAGE, retry_after=DATABASE_RETRY_AFTER)


def handle_unexpected(error):
    """Log an unexpected exception, roll back what it half did, show the 500 page (503 if the database is away)."""
    if isinstance(error, HTTPException):
        return handle_http_exception(error)
    if database_unavailable(error):
        return handle_database_unavailable()
    db.session.rollback()
    current_app.logger.exception("Unhandled error on %s %s", request.method, request.path)
    return api_error(500) if is_api_request() else render_error(500)


def register_error_handlers(app):
    """Attach the handlers to the app."""
    app.register_error_handler(HTTPException, handle_http_exception)
    app.register_error_handler(Exception, handle_unexpected)
