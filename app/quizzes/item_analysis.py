"""Item analysis of one quiz for trainers: rows from the database, figures from statistics.py."""

import csv
import io

from app.content.models import CourseVersion
from app.extensions import db
from app.quizzes import statistics
from app.quizzes.models import Attempt, Quiz

BAR_WIDTH, CHART_HEIGHT = 40, 160


def quiz_versions(course, slug):
    """Every imported version of a quiz in a course, newest first (statistics are per version)."""
    return db.session.scalars(
        db.select(Quiz).join(CourseVersion, Quiz.version_id == CourseVersion.id)
        .where(CourseVersion.course_id == course.id, Quiz.slug == slug).order_by(CourseVersion.number.desc())
    ).all()


def analyse_quiz(quiz, first_only=False):
    """QuizStats over the finished attempts at one quiz (one query for the attempts)."""
    attempts = db.session.scalars(db.select(Attempt).where(Attempt.quiz_id == quiz.id,
                                                           Attempt.state != "in_progress")).all()
    rows = []
    for attempt in attempts:
        items = []
        for position, slot in enumerate(attempt.layout):
            question = quiz.questions[slot["q"]]
            items.append({"q": slot["q"], "points": question["points"],
                          "fraction": attempt.results[position] if attempt.results else None,
                          "response": attempt.answers.get(str(position))})
        rows.append({"user_id": attempt.user_id, "number": attempt.number, "percent": attempt.percent or 0,
                     "items": items})
    types = {index: question["type"] for index, question in enumerate(quiz.questions)}
    return statistics.analyse(rows, types, first_only=first_only)


def csv_text(quiz, stats):
    """The per-question figures as CSV (spreadsheet formulas neutralised)."""
    buffer = io.StringIO()
    csv.writer(buffer).writerows(statistics.csv_rows(stats, [q["name"] for q in quiz.questions]))
    return buffer.getvalue()


def distribution_bars(stats):
    """Bar geometry for the score-distribution chart (an SVG drawn by the template)."""
    highest = max(stats.distribution) or 1
    bars = []
    for index, count in enumerate(stats.distribution):
        height = round(CHART_HEIGHT * count / highest)
        bars.append({"x": index * (BAR_WIDTH + 8) + 40, "y": CHART_HEIGHT - height + 10, "height": height,
                     "count": count, "label": f"{index * 10}–{index * 10 + 10}%"})
    return bars
