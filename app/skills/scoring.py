"""Scoring a skills check: reading ratings, a level per competence, and the change since last time.

Pure functions over the stored definition; no database. A competence's level is the average of its
statements' ratings; it is below target when that average is under the check's target level.
"""

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

FIELD_PREFIX = "s-"


@dataclass(frozen=True)
class CompetenceLevel:
    """One competence on the learner's profile."""

    id: str
    name: str
    area: str
    level: float  # average rating, 1 .. scale size
    nearest: int  # the scale point closest to the level
    below: bool
    change: str | None = None  # "up", "down" or "same" against the previous kept result
    previous: float | None = None


def field_name(key):
    """The form field of a statement."""
    return FIELD_PREFIX + key


def read_answers(definition, form):
    """Ratings from a submitted form; returns (answers, errors), errors keyed by statement.

    Only the check's own statements are read (unknown fields are ignored); a rating must be a whole
    number on the scale.
    """
    allowed = {str(level) for level in range(1, len(definition["scale"]) + 1)}
    answers, errors = {}, {}
    for area in definition["areas"]:
        for comp in area["competences"]:
            for statement in comp["statements"]:
                value = (form.get(field_name(statement["key"])) or "").strip()
                if not value:
                    errors[statement["key"]] = _l("Choose an answer for this statement.")
                elif value not in allowed:  # exact ASCII "1".."N": no signs, decimals or other scripts' digits
                    errors[statement["key"]] = _l("Choose one of the answers offered.")
                else:
                    answers[statement["key"]] = int(value)
    return answers, errors


def levels(definition, answers):
    """The average rating of each competence: {competence id: level rounded to two decimals}."""
    found = {}
    for area in definition["areas"]:
        for comp in area["competences"]:
            ratings = [answers[s["key"]] for s in comp["statements"] if s["key"] in answers]
            if ratings:
                found[comp["id"]] = round(sum(ratings) / len(ratings), 2)
    return found


def profile(definition, current, target, previous=None):
    """The learner's profile: per area, its competences with level, nearest scale point and change."""
    areas = []
    for area in definition["areas"]:
        rows = []
        for comp in area["competences"]:
            if comp["id"] not in current:
                continue
            level = current[comp["id"]]
            before = (previous or {}).get(comp["id"])
            rows.append(CompetenceLevel(
                id=comp["id"], name=comp["name"], area=area["id"], level=level, nearest=int(level + 0.5),
                below=level < target, change=None if before is None else _change(before, level), previous=before))
        if rows:
            areas.append({"id": area["id"], "name": area["name"], "competences": rows})
    return areas


def _change(before, now):
    if now > before:
        return "up"
    return "down" if now < before else "same"


def below_target(current, target):
    """Competence ids whose level is under the target, lowest first (ties in check order)."""
    order = list(current)
    return sorted((comp for comp, level in current.items() if level < target),
                  key=lambda comp: (current[comp], order.index(comp)))
