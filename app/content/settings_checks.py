"""Checks of front matter values in course.md, lessons and quizzes."""

import re

from flask_babel import lazy_gettext as _l

from app.content.models import ACCESS, LEVELS

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
LANGUAGES = ("bg", "en")
COURSE_KEYS = {
    "title", "language", "summary", "slug", "translation_of", "level", "hours", "competences",
    "prerequisites", "certificate", "authors", "license", "access", "type",
}
COURSE_REQUIRED = ("title", "language", "summary", "hours")
LESSON_KEYS = {"title", "minutes"}
CERTIFICATE_KEYS = {"issue", "valid_months", "enabled"}


def _text(value, maximum):
    return isinstance(value, str) and value.strip() and len(value) <= maximum


def _string_list(value):
    return isinstance(value, list) and all(isinstance(item, str) and item.strip() for item in value)


def check_keys(front, allowed, required, report):
    """Unknown keys (typos) and missing required keys."""
    for key in front.data:
        if key not in allowed:
            report(front.key_lines.get(key, 1),
                   _l("unknown key '%(key)s'; the keys allowed here are: %(keys)s",
                      key=key, keys=", ".join(sorted(allowed))))
    for key in required:
        if key not in front.data or front.data[key] in (None, ""):
            report(front.key_lines.get(key, 1), _l("the required key '%(key)s' is missing or empty", key=key))


def check_course(front, report):
    """Values of course.md's front matter; missing keys are reported by check_keys."""
    data, line = front.data, front.key_lines.get
    checks = [
        ("title", lambda v: _text(v, 300), _l("the title must be text of at most 300 characters")),
        ("summary", lambda v: _text(v, 1000), _l("the summary must be one sentence of at most 1000 characters")),
        ("language", lambda v: v in LANGUAGES, _l("the language must be 'bg' or 'en'")),
        ("slug", lambda v: isinstance(v, str) and SLUG.match(v) and len(v) <= 80,
         _l("a slug uses only small Latin letters, digits and single hyphens, e.g. cyber-hygiene")),
        ("translation_of", lambda v: isinstance(v, str) and SLUG.match(v),
         _l("translation_of must be the slug of another course, e.g. cyber-hygiene")),
        ("level", lambda v: v in LEVELS, _l("the level must be beginner, intermediate or advanced")),
        ("hours", lambda v: isinstance(v, int | float) and not isinstance(v, bool) and 0 < v <= 1000,
         _l("hours must be a number greater than 0, e.g. 2 or 1.5")),
        ("competences", _string_list, _l("competences must be a list of names, one per '- ' line")),
        ("prerequisites", lambda v: _string_list(v) and all(SLUG.match(s) for s in v),
         _l("prerequisites must be a list of course slugs, one per '- ' line")),
        ("authors", _string_list, _l("authors must be a list of names, one per '- ' line")),
        ("license", lambda v: _text(v, 100), _l("the licence must be a short name such as CC-BY-4.0")),
        ("access", lambda v: v in ACCESS, _l("access must be 'public' or 'registered'")),
    ]
    for key, valid, message in checks:
        if key in data and data[key] not in (None, "") and not valid(data[key]):
            report(line(key, 1), message)
    if "certificate" in data:
        _check_certificate(data["certificate"], line("certificate", 1), report)


def _check_certificate(value, line, report):
    if not isinstance(value, dict):
        report(line, _l("certificate must be a group of settings: issue, valid_months, enabled"))
        return
    for key in value:
        if key not in CERTIFICATE_KEYS:
            report(line, _l("unknown certificate setting '%(key)s'; use issue, valid_months or enabled", key=key))
    if "issue" in value and value["issue"] not in ("auto", "staff"):
        report(line, _l("certificate issue must be 'auto' (on completion) or 'staff' (after staff review)"))
    months = value.get("valid_months")
    if months is not None and (not isinstance(months, int) or isinstance(months, bool) or not 1 <= months <= 240):
        report(line, _l("valid_months must be a whole number of months between 1 and 240"))
    if "enabled" in value and not isinstance(value["enabled"], bool):
        report(line, _l("enabled must be true or false"))


def check_item(front, report):
    """A lesson's or quiz's front matter: a title, and minutes if given."""
    data = front.data
    if not _text(data.get("title"), 300):
        report(front.key_lines.get("title", 1),
               _l("the file has no title: add a line 'title: ...' to its front matter"))
    minutes = data.get("minutes")
    if minutes is not None and (not isinstance(minutes, int) or isinstance(minutes, bool) or not 1 <= minutes <= 600):
        report(front.key_lines.get("minutes", 1), _l("minutes must be a whole number between 1 and 600"))
