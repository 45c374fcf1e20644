"""Turning form values into responses and responses into scores, through the type registry."""

from app.quizzes import registry


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def clean_response(question, slot, value, max_text):
    """A form value in the shape the question type grades, with choices in their original order."""
    kind, order = question["type"], slot["order"]
    if kind == "single":
        shown = _int(value[0] if isinstance(value, list) else value)
        return order[shown] if shown is not None and 0 <= shown < len(order) else None
    if kind == "multiple":
        values = value if isinstance(value, list) else [value]
        shown = {_int(v) for v in values} - {None}
        return sorted(order[i] for i in shown if 0 <= i < len(order))
    if kind == "true-false":
        value = value[0] if isinstance(value, list) else value
        return value if value in ("true", "false") else None
    if kind == "matching":
        return {str(k): str(v)[:max_text] for k, v in (value.items() if isinstance(value, dict) else [])
                if str(k).isdigit() and str(v).strip()}
    text = value[0] if isinstance(value, list) else value
    return str(text)[:max_text] if text is not None else None


def grade_attempt(attempt):
    """Score every position; essays wait for a trainer (None). Sets score, percent and passed."""
    results = []
    for position, slot in enumerate(attempt.layout):
        question = attempt.quiz.questions[slot["q"]]
        kind = registry.get(question["type"])
        if not kind.scored:
            results.append(0.0)
            continue
        results.append(kind.grade(question["key"], attempt.answers.get(str(position))) if kind.gradable else None)
    attempt.results = results
    _totals(attempt)


def _totals(attempt):
    """Score, percent, pass state and whether essays still wait, from the per-position results."""
    score = maximum = 0.0
    waiting = False
    for position, slot in enumerate(attempt.layout):
        question = attempt.quiz.questions[slot["q"]]
        if not registry.get(question["type"]).scored:
            continue
        maximum += question["points"]
        fraction = attempt.results[position]
        waiting = waiting or fraction is None
        score += (fraction or 0) * question["points"]
    attempt.score, attempt.max_score = round(score, 4), maximum
    attempt.percent = round(100 * score / maximum, 2) if maximum else 100.0
    attempt.passed = attempt.percent >= attempt.quiz.settings.get("pass_mark", 80)
    attempt.needs_grading = waiting


def grade_essays(attempt, marks, comments):
    """Record a trainer's marks (points per essay position) and comments, then recompute the totals."""
    results = list(attempt.results)
    for position, points in marks.items():
        question = attempt.quiz.questions[attempt.layout[position]["q"]]
        results[position] = max(0.0, min(1.0, points / question["points"])) if question["points"] else 0.0
    attempt.results = results
    attempt.comments = {**(attempt.comments or {}), **{str(p): c for p, c in comments.items() if c}}
    _totals(attempt)
