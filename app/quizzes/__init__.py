"""Quizzes: the Markdown quiz format, question types and grading, attempts, GIFT and Aiken interchange."""

from flask import Blueprint

from app.content.validator import register_item_checker
from app.quizzes.format import parse_quiz

bp = Blueprint("quizzes", __name__, template_folder="templates")


def _check_quiz_file(text):
    return parse_quiz(text).problems


register_item_checker("quiz", _check_quiz_file)

from app.quizzes import building, privacy, results, routes  # noqa: E402,F401  (receivers, registries, routes)
