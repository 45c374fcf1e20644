"""Query parameters and request bodies, checked before anything touches the database (400/415/422)."""

import json
import re
from datetime import date

from flask import request

from app.api.errors import ApiError

SLUG_RE = re.compile(r"^[a-z0-9-]{1,80}$")
DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
DIGITS_RE = re.compile(r"^\d{1,10}$")
MAX_ID = 2**31 - 1  # the largest id the databases store
MAX_PAGE = 100_000
MAX_PER_PAGE = 200
DEFAULT_PER_PAGE = 50
EMAIL_MAX = 254
MAX_BODY = 10_000  # bytes; an enrolment is a few dozen


def _bad(name, message):
    return ApiError(400, f"Query parameter '{name}': {message}", parameter=name)


def only(*known):
    """Refuse query parameters the endpoint does not know: a typo must not silently widen a list."""
    unknown = sorted(set(request.args) - set(known))
    if unknown:
        name = unknown[0][:40]
        takes = f"takes only: {', '.join(known)}" if known else "takes no query parameters"
        raise ApiError(400, f"Unknown query parameter '{name}'. This endpoint {takes}.", parameter=name)


def whole_number(name, low, high, default=None):
    """An integer query parameter within [low, high]; `default` when absent."""
    raw = request.args.get(name)
    if raw is None:
        return default
    if not DIGITS_RE.match(raw) or not low <= int(raw) <= high:
        raise _bad(name, f"give a whole number from {low} to {high}.")
    return int(raw)


def page_and_size():
    """(page, per_page): page from 1, per_page from 1 to 200 (default 50)."""
    return (whole_number("page", 1, MAX_PAGE, 1),
            whole_number("per_page", 1, MAX_PER_PAGE, DEFAULT_PER_PAGE))


def slug(name):
    """A course slug parameter (lower-case letters, digits, hyphens), or None when absent."""
    raw = request.args.get(name)
    if raw is None:
        return None
    if not SLUG_RE.match(raw):
        raise _bad(name, "give a course slug: lower-case letters, digits and hyphens.")
    return raw


def iso_date(name):
    """A `YYYY-MM-DD` date parameter, or None when absent."""
    raw = request.args.get(name)
    if raw is None:
        return None
    try:
        if not DATE_RE.match(raw):
            raise ValueError(raw)
        return date.fromisoformat(raw)
    except ValueError:
        raise _bad(name, "give a date as YYYY-MM-DD, e.g. 2027-03-01.") from None


def text(name, max_length):
    """A free-text parameter of at most `max_length` characters, or None when absent."""
    raw = request.args.get(name)
    if raw is None:
        return None
    if not raw.strip() or len(raw) > max_length:
        raise _bad(name, f"give between 1 and {max_length} characters.")
    return raw


def json_object(fields):
    """The JSON body as a dict with exactly the known `fields` (each: name -> check returning an error or None)."""
    if not request.is_json:
        raise ApiError(415, "Send the body as JSON with the header 'Content-Type: application/json'.")
    if (request.content_length or 0) > MAX_BODY:
        raise ApiError(413, f"The body is too large (at most {MAX_BODY // 1000} kB).")
    try:
        body = json.loads(request.get_data())
    except (ValueError, RecursionError):  # also bodies that are not UTF-8, or nested absurdly deep
        raise ApiError(400, "The body is not valid JSON.") from None
    if not isinstance(body, dict):
        raise ApiError(422, "The body must be a JSON object.", fields={})
    problems = {name: "Unknown field." for name in body if name not in fields}
    for name, check in fields.items():
        problem = "This field is required." if name not in body else check(body[name])
        if problem:
            problems[name] = problem
    if problems:
        raise ApiError(422, "Some fields are missing or not valid.", fields=problems)
    return body


def email_problem(value):
    """Why `value` is not an e-mail address, or None."""
    if not isinstance(value, str) or not value.strip():
        return "Give the learner's e-mail address as a string."
    if len(value) > EMAIL_MAX or "@" not in value.strip()[1:-1] or not value.isprintable():
        return "Give an e-mail address like name@example.bg (at most 254 characters)."
    return None


def slug_problem(value):
    """Why `value` is not a course slug, or None."""
    if not isinstance(value, str) or not SLUG_RE.match(value):
        return "Give the course's slug: lower-case letters, digits and hyphens."
    return None
