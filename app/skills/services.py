"""Skills check rules: which checks a visitor sees, keeping a result, and reading one's own results.

Plain arguments in; writes flush and the view commits. Nothing here stores anything for a visitor
who has not chosen to keep a result while signed in.
"""

from flask import current_app
from flask_babel import lazy_gettext as _l
from itsdangerous import BadData, URLSafeTimedSerializer

from app.extensions import db
from app.skills import scoring
from app.skills.models import SkillsCheck, SkillsResult
from app.timeutil import utcnow

ANSWERS_SALT = "skills-check-answers"
ANSWERS_MAX_AGE = 12 * 3600  # a result may be kept within a working day of taking the check


class SkillsError(Exception):
    """A rule stops the action; `message` says why in the reader's language."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


def published_checks():
    """Every published skills check, by title."""
    return db.session.scalars(
        db.select(SkillsCheck).where(SkillsCheck.published.is_(True)).order_by(SkillsCheck.title)).all()


def checks_for(language):
    """Published checks in `language`, one per family; checks with no version in it in their own language."""
    checks = published_checks()
    families = {}
    for check in checks:
        families.setdefault(check.family, []).append(check)
    return [next((c for c in group if c.language == language), group[0]) for group in families.values()]


def published_check(slug):
    """The published check with this slug, or None."""
    return db.session.scalar(
        db.select(SkillsCheck).where(SkillsCheck.slug == slug, SkillsCheck.published.is_(True)))


def translations(check):
    """Other published checks of the same family (the same check in other languages)."""
    return db.session.scalars(db.select(SkillsCheck).where(
        SkillsCheck.published.is_(True), SkillsCheck.id != check.id,
        (SkillsCheck.slug == check.family) | (SkillsCheck.translation_of == check.family))).all()


def _serializer():
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=ANSWERS_SALT)


def statement_keys(definition):
    """Every statement's key, in the order of the check."""
    return [s["key"] for area in definition["areas"] for comp in area["competences"] for s in comp["statements"]]


def sign_answers(check, answers):
    """The answers as a short signed, timestamped token (one digit per statement), to keep after signing in."""
    digits = "".join(str(answers[key]) for key in statement_keys(check.definition))
    return _serializer().dumps({"check": check.id, "version": check.version, "answers": digits})


def read_signed_answers(check, token):
    """The answers in a token made by sign_answers for this check; raises SkillsError otherwise."""
    try:
        data = _serializer().loads(token or "", max_age=ANSWERS_MAX_AGE)
    except BadData:
        raise SkillsError(_l("This result has expired. Take the skills check again to keep it.")) from None
    if not isinstance(data, dict) or data.get("check") != check.id or not isinstance(data.get("answers"), str):
        raise SkillsError(_l("This result belongs to another skills check."))
    if data.get("version") != check.version:
        raise SkillsError(_l("The skills check has changed since you took it. Please take it again."))
    keys = statement_keys(check.definition)
    answers, errors = scoring.read_answers(check.definition, {
        scoring.field_name(key): digit for key, digit in zip(keys, data["answers"], strict=False)})
    if errors or len(data["answers"]) != len(keys):
        raise SkillsError(_l("This result is incomplete. Take the skills check again to keep it."))
    return answers


def keep_result(user, check, answers):
    """Store a signed-in learner's result with the time; returns it."""
    result = SkillsResult(check_id=check.id, user_id=user.id, taken_at=utcnow(), check_version=check.version,
                          target=check.target, answers=answers, levels=scoring.levels(check.definition, answers))
    db.session.add(result)
    db.session.flush()
    return result


def own_result(user, result_id):
    """A kept result if it belongs to `user`; None for anybody else's (staff included)."""
    result = db.session.get(SkillsResult, result_id)
    return result if result is not None and result.user_id == user.id else None


def _family_filter(family):
    return (SkillsCheck.slug == family) | (SkillsCheck.translation_of == family)


def previous_result(result):
    """The learner's kept result of the same check (any language) just before this one, or None."""
    return db.session.scalar(
        db.select(SkillsResult).join(SkillsResult.check)
        .where(SkillsResult.user_id == result.user_id, _family_filter(result.check.family),
               (SkillsResult.taken_at < result.taken_at)
               | ((SkillsResult.taken_at == result.taken_at) & (SkillsResult.id < result.id)))
        .order_by(SkillsResult.taken_at.desc(), SkillsResult.id.desc()).limit(1))


def latest_result(user, check):
    """The learner's latest kept result of this check in any language, or None."""
    if not user.is_authenticated:
        return None
    return db.session.scalar(
        db.select(SkillsResult).join(SkillsResult.check)
        .where(SkillsResult.user_id == user.id, _family_filter(check.family))
        .order_by(SkillsResult.taken_at.desc(), SkillsResult.id.desc()).limit(1))


def results_of(user):
    """All of a learner's kept results, newest first."""
    return db.session.scalars(db.select(SkillsResult).where(SkillsResult.user_id == user.id)
                              .order_by(SkillsResult.taken_at.desc(), SkillsResult.id.desc())).all()
