"""Attempt rules: start (frozen draw and order), save (no stale overwrites), submit once, time limits."""

import math
import random
from datetime import timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError

from app.extensions import db
from app.quizzes import grading
from app.quizzes.models import Attempt, Quiz
from app.timeutil import utcnow

MAX_TEXT = 2000


class AttemptError(Exception):
    """The attempt cannot be started or changed; the message says why."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


class StaleAttempt(AttemptError):
    """The page was older than the saved answers (another tab or device saved since)."""


def quiz_of(version_id, slug):
    """The quiz with this slug in a version, or None."""
    return db.session.scalar(db.select(Quiz).where(Quiz.version_id == version_id, Quiz.slug == slug))


def attempts_of(user_id, quiz):
    """A learner's attempts at a quiz, oldest first."""
    return db.session.scalars(db.select(Attempt).where(Attempt.quiz_id == quiz.id, Attempt.user_id == user_id)
                              .order_by(Attempt.number)).all()


def attempts_left(quiz, attempts):
    """How many more attempts may start (None = unlimited)."""
    limit = quiz.settings.get("attempts") or 0
    return None if limit == 0 else max(0, limit - len(attempts))


def _grace():
    return timedelta(seconds=current_app.config.get("QUIZ_GRACE_SECONDS", 60))


def _layout(quiz, rng):
    positions = list(range(len(quiz.questions)))
    settings = quiz.settings
    scored = [i for i in positions if quiz.questions[i]["points"] > 0]
    if settings.get("draw"):
        chosen = set(rng.sample(scored, settings["draw"]))
        positions = [i for i in positions if i in chosen or i not in scored]
    if settings.get("shuffle"):
        rng.shuffle(positions)
    layout = []
    for index in positions:
        choices = quiz.questions[index]["key"].get("choices") or []
        order = list(range(len(choices)))
        if settings.get("shuffle") and quiz.questions[index]["type"] in ("single", "multiple"):
            rng.shuffle(order)
        layout.append({"q": index, "order": order})
    return layout


def time_limit_for(quiz, accommodation=""):
    """Minutes the learner has, with the extra time staff granted them (None: no limit)."""
    minutes = quiz.settings.get("time_limit")
    if not minutes or accommodation == "none":
        return None
    if accommodation:
        return math.ceil(minutes * (100 + int(accommodation)) / 100)
    return minutes


def start(user_id, quiz, rng=None, accommodation=""):
    """Return the learner's open attempt, or start a new one within the attempt limit."""
    attempts = attempts_of(user_id, quiz)
    open_attempt = next((a for a in attempts if a.state == "in_progress"), None)
    if open_attempt is not None and not close_if_overdue(open_attempt):
        return open_attempt
    if attempts_left(quiz, attempts) == 0:
        raise AttemptError(_l("You have used all your attempts at this quiz."))
    minutes = time_limit_for(quiz, accommodation)
    now = utcnow()
    attempt = Attempt(quiz_id=quiz.id, user_id=user_id, number=len(attempts) + 1, started_at=now,
                      deadline=now + timedelta(minutes=minutes) if minutes else None,
                      layout=_layout(quiz, rng or random.SystemRandom()), answers={})
    try:
        with db.session.begin_nested():
            db.session.add(attempt)
    except IntegrityError:  # a second tab started the same attempt at the same moment
        return next(a for a in attempts_of(user_id, quiz) if a.state == "in_progress")
    return attempt


def owned(attempt_id, user_id):
    """The attempt if it belongs to this learner, else None (the caller answers 404)."""
    attempt = db.session.get(Attempt, attempt_id)
    return attempt if attempt is not None and attempt.user_id == user_id else None


def overdue(attempt):
    """True when the time limit plus the grace period has passed."""
    return attempt.deadline is not None and utcnow() > attempt.deadline + _grace()


def close_if_overdue(attempt):
    """Close an attempt whose time is up, grading what was saved; True if it was closed."""
    if attempt.state == "in_progress" and overdue(attempt):
        finish(attempt, "abandoned")
        return True
    return False


def clean_answers(attempt, raw):
    """Keep only answers to this attempt's positions, in the shape each type expects."""
    answers = {}
    for position, slot in enumerate(attempt.layout):
        question = attempt.quiz.questions[slot["q"]]
        value = raw.get(str(position))
        if value in (None, "", [], {}):
            continue
        answers[str(position)] = grading.clean_response(question, slot, value, MAX_TEXT)
    return {key: value for key, value in answers.items() if value not in (None, "", [], {})}


def save(attempt, raw_answers, revision):
    """Store answers if the page was current; returns the new revision. Refuses stale pages."""
    if close_if_overdue(attempt):
        raise AttemptError(_l("The time is up. Your attempt was closed with the answers saved before."))
    if attempt.state != "in_progress":
        raise AttemptError(_l("This attempt is already finished."))
    answers = clean_answers(attempt, raw_answers)
    # RETURNING gives the new revision without reading the row (answers and all) back.
    saved = db.session.execute(
        db.update(Attempt).where(Attempt.id == attempt.id, Attempt.revision == revision,
                                 Attempt.state == "in_progress")
        .values(answers=answers, revision=Attempt.revision + 1).returning(Attempt.revision)
        .execution_options(synchronize_session=False)).scalar_one_or_none()
    if saved is None:
        raise StaleAttempt(_l("Your answers were saved from another window since this page was opened. "
                              "Reload the page to see them."))
    db.session.expire(attempt, ["answers", "revision"])
    return saved


def finish(attempt, state="submitted"):
    """Close the attempt once and grade it; a repeated or concurrent call does nothing. True if graded now."""
    result = db.session.execute(
        db.update(Attempt).where(Attempt.id == attempt.id, Attempt.state == "in_progress")
        .values(state=state, finished_at=utcnow()).execution_options(synchronize_session=False))
    db.session.refresh(attempt)
    if result.rowcount != 1:
        return False
    grading.grade_attempt(attempt)
    db.session.flush()
    return True
