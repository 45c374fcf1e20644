"""The registry of question types: each is a class that checks its answers and grades a response.

Variation is a registry, not an if-ladder: a new type is one class with `@register`.
"""

import re
from abc import ABC, abstractmethod

from flask_babel import lazy_gettext as _l

WEIGHT = re.compile(r"^\{\s*(?P<value>-?\d+(?:[.,]\d+)?)\s*%\s*\}\s*")
TYPES = {}


def register(cls):
    """Class decorator: make a question type available under its keyword(s)."""
    for keyword in cls.keywords:
        TYPES[keyword] = cls()
    return cls


def get(keyword):
    """The question type for a keyword such as 'multiple', or None."""
    return TYPES.get(keyword)


def split_weight(text):
    """('{50%} text') -> (0.5, 'text'); no weight gives (None, text)."""
    match = WEIGHT.match(text)
    if not match:
        return None, text
    return float(match["value"].replace(",", ".")) / 100, text[match.end():]


class QuestionType(ABC):
    """Base class. `parse` turns raw answers into the answer key; `grade` scores a response (0..1)."""

    keywords = ()
    qtype = ""
    gradable = True  # graded automatically
    scored = True  # has points at all (a description has none)
    free_text = False  # the learner types prose that may hold personal data (erased with the account)

    @abstractmethod
    def parse(self, raw, report):
        """Return the answer key as plain JSON data, reporting problems with `report(line, message)`."""

    @abstractmethod
    def grade(self, key, response):
        """The fraction of the points earned by `response`, from 0 to 1."""

    def public(self, key):
        """What the browser may see before submission: never the answer key."""
        return {}

    def record(self, key):
        """Moodle-style fields for `flask quiz inspect` and GIFT export."""
        return {}

    @staticmethod
    def clamp(value):
        """Keep a score between 0 and 1."""
        return max(0.0, min(1.0, value))


NO_ANSWERS = _l("this question needs answers: add lines that start with '- '")
