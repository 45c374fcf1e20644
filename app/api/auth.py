"""Bearer-token authentication for every API endpoint except the public ones (deny by default).

401 (with `WWW-Authenticate: Bearer`, RFC 6750) when the token is missing, unknown or revoked;
403 when its owner is no longer hub staff, or when a read-only token tries to write.
"""

from flask import g, request

from app.accounts import api_tokens
from app.api import bp
from app.database import WRITE_METHODS
from app.errors import api_error
from app.extensions import db

REALM = 'Bearer realm="api"'
# Endpoints anyone may read; every other endpoint of the blueprint needs a token.
PUBLIC_ENDPOINTS = frozenset({"api.openapi_document"})


def _unauthorised(message, error=None):
    challenge = f'{REALM}, error="{error}"' if error else REALM
    return api_error(401, message, {"WWW-Authenticate": challenge})


def bearer_secret():
    """The token from `Authorization: Bearer <token>`, or None."""
    scheme, _, secret = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer":
        return None
    return secret.strip() or None


@bp.before_request
def require_token():
    """Let the request through only with a working token of hub staff, and a write token for writes."""
    if request.endpoint in PUBLIC_ENDPOINTS:
        return None
    secret = bearer_secret()
    if secret is None:
        return _unauthorised("Send a personal API token in the header 'Authorization: Bearer <token>'. "
                             "Staff create tokens in their profile.")
    token = api_tokens.authenticate(secret)
    if token is None:
        return _unauthorised("The API token is unknown or has been revoked.", error="invalid_token")
    if db.session.is_modified(token):
        db.session.commit()  # last_used_at, written at most once a minute
    if not api_tokens.may_hold_tokens(token.user):
        return api_error(403, "The owner of this token is not hub staff, so the token may not use the API.")
    if request.method in WRITE_METHODS and token.scope != "write":
        return api_error(403, "This token is read-only. Create a read-and-write token to make changes.",
                         {"WWW-Authenticate": f'{REALM}, error="insufficient_scope"'})
    g.api_token = token
    return None


def api_user():
    """The staff member whose token authenticated this request."""
    return g.api_token.user
