"""Friendly error pages in the user's language, with a way forward."""

from flask import current_app, render_template, request
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
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
CSRF_MESSAGE = _l("The form had expired or was sent from another site. We kept nothing; please fill it in again.")


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
    if isinstance(error, CSRFError):
        return render_error(400, CSRF_MESSAGE)
    return render_error(error.code if error.code in MESSAGES else 500 if error.code >= 500 else 400)


def handle_unexpected(error):
    """Log an unexpected exception, roll back what it half did, show the 500 page."""
    if isinstance(error, HTTPException):
        return handle_http_exception(error)
    db.session.rollback()
    current_app.logger.exception("Unhandled error on %s %s", request.method, request.path)
    return render_error(500)


def register_error_handlers(app):
    """Attach the handlers to the app."""
    app.register_error_handler(HTTPException, handle_http_exception)
    app.register_error_handler(Exception, handle_unexpected)
