"""The quiz section of a learner's data download, and what erasure does to their answers.

The download holds each attempt with the questions as the learner saw them (in their order), the
learner's answers, the points and the feedback the quiz's review level showed them; never the
answer key. Erasure keeps attempts and scores (course statistics must not change) but replaces the
text of free-text answers (short answers, essays) and trainers' comments with ERASED_MARKER.
"""

from app.accounts import privacy
from app.accounts.privacy import iso
from app.content.models import Course, CourseVersion
from app.extensions import db
from app.quizzes import attempts as attempt_rules
from app.quizzes import registry
from app.quizzes.models import Attempt, Quiz

ERASED_MARKER = "[erased]"


def _choice_texts(question, indexes):
    choices = question["key"].get("choices") or []
    return [choices[i]["text"] for i in indexes if isinstance(i, int) and 0 <= i < len(choices)]


def _answer(question, response):
    """The learner's response in words (choices by their text, matching by item)."""
    kind = question["type"]
    if response is None:
        return None
    if kind == "single":
        return (_choice_texts(question, [response]) or [None])[0]
    if kind == "multiple":
        return _choice_texts(question, response)
    if kind == "matching":
        items = [pair["text"] for pair in question["key"].get("pairs", []) if pair["text"]]
        return [{"item": items[int(k)] if int(k) < len(items) else k, "answer": v} for k, v in response.items()]
    return response


def _feedback(question, response, level):
    """Feedback on the chosen choices, when the quiz's review level showed feedback at all."""
    if level == "score" or response is None or question["type"] not in ("single", "multiple"):
        return []
    chosen = response if isinstance(response, list) else [response]
    choices = question["key"].get("choices") or []
    return [choices[i]["feedback"] for i in chosen if isinstance(i, int) and 0 <= i < len(choices)
            and choices[i].get("feedback")]


def _positions(attempt):
    level = attempt.quiz.settings.get("review", "full")
    rows = []
    for position, slot in enumerate(attempt.layout):
        question = attempt.quiz.questions[slot["q"]]
        response = attempt.answers.get(str(position))
        fraction = attempt.results[position] if attempt.results else None
        rows.append({
            "number": position + 1, "type": question["type"], "question": question["name"],
            "choices_as_shown": _choice_texts(question, slot["order"]),
            "your_answer": _answer(question, response), "points": question["points"],
            "points_earned": round(fraction * question["points"], 4) if fraction is not None else None,
            "feedback": _feedback(question, response, level),
            "trainer_comment": (attempt.comments or {}).get(str(position)),
        })
    return rows


def quizzes_section(user):
    """Every attempt with its questions, answers, scores and feedback (one query)."""
    rows = db.session.execute(
        db.select(Attempt, CourseVersion.title, Course.slug).join(Quiz, Attempt.quiz_id == Quiz.id)
        .join(CourseVersion, Quiz.version_id == CourseVersion.id).join(Course, CourseVersion.course_id == Course.id)
        .where(Attempt.user_id == user.id).order_by(Attempt.started_at, Attempt.id)).all()
    return [{
        "course": slug, "course_title": title, "quiz": attempt.quiz.title, "attempt": attempt.number,
        "state": attempt.state, "started_at": iso(attempt.started_at), "finished_at": iso(attempt.finished_at),
        "score": attempt.score, "max_score": attempt.max_score, "percent": attempt.percent,
        "passed": attempt.passed, "waiting_for_a_trainer": attempt.needs_grading,
        "questions": _positions(attempt),
    } for attempt, title, slug in rows]


def erase_answers(user, withdraw_certificates):
    """Close open attempts (graded on what was saved), then blank free-text answers and comments."""
    for attempt in db.session.scalars(db.select(Attempt).where(Attempt.user_id == user.id)).all():
        if attempt.state == "in_progress":
            attempt_rules.finish(attempt, "abandoned")  # graded before the text goes, so scores stay right
        answers = dict(attempt.answers or {})
        for position, slot in enumerate(attempt.layout):
            question = attempt.quiz.questions[slot["q"]]
            if registry.get(question["type"]).free_text and answers.get(str(position)):
                answers[str(position)] = ERASED_MARKER
        attempt.answers = answers  # a new dict, so the JSON column is seen as changed
        if attempt.comments:
            attempt.comments = dict.fromkeys(attempt.comments, ERASED_MARKER)
    db.session.flush()


privacy.register_section("quiz_attempts", quizzes_section)
privacy.register_eraser(erase_answers)
