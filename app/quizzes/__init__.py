"""Quizzes: the Markdown quiz format, question types and grading, GIFT and Aiken interchange."""

from app.content.validator import register_item_checker
from app.quizzes.format import parse_quiz


def _check_quiz_file(text):
    return parse_quiz(text).problems


register_item_checker("quiz", _check_quiz_file)
