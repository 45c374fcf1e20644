"""GIFT answer blocks: what stands between the braces of a question, read as Moodle 4.5 reads it.

`read_gift` in gift.py cuts a question block into name, text and answers; this module decides the
question type from the answers and reads them into the type's own record fields (`PARSERS`), and holds
the escaping rules both share.
"""

import re

WHITESPACE = " \t\n\r\0\x0b"  # what PHP's trim() removes
FORMATS = ("moodle", "html", "plain", "markdown")
PLACEHOLDERS = {":": "\ue000", "#": "\ue001", "=": "\ue002", "{": "\ue003", "}": "\ue004", "~": "\ue005", "n": "\ue006"}
RESTORE = str.maketrans({v: "\n" if k == "n" else k for k, v in PLACEHOLDERS.items()})
ESCAPE = re.compile(r"\\([\\:#={}~n])")
WEIGHT = re.compile(r"^%(-*[0-9]{1,2}\.?[0-9]*)%")
NUMBER = re.compile(r"[ \t\n\r\v\f]*[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?[ \t\n\r\v\f]*")
TRUE_FALSE = ("T", "TRUE", "F", "FALSE")


class Invalid(Exception):
    """A block fails with this Moodle error identifier."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def protect(text: str) -> str:
    """Escaped characters swapped for private-use code points (PLACEHOLDERS), '\\\\' for a backslash."""
    return ESCAPE.sub(lambda m: "\\" if m[1] == "\\" else PLACEHOLDERS[m[1]], text)


def restore(text: str) -> str:
    """Placeholders turned back into the characters they stand for."""
    return text.translate(RESTORE)


def formatted(text: str, default: str = "moodle") -> tuple[str, str]:
    """(text, format): a leading [format] marker removed; without a known marker the default format."""
    fmt = default
    end = text.find("]")
    if text.startswith("[") and end > 0 and text[1:end] in FORMATS:
        fmt, text = text[1:end], text[end + 1:]
    return restore(text).strip(WHITESPACE), fmt


def _with_feedback(answer: str, fmt: str) -> tuple[tuple[str, str], tuple[str, str]]:
    """((text, format), (feedback, format)) of an answer, the feedback after its first '#'."""
    text, _, feedback = answer.partition("#")
    return formatted(text.strip(WHITESPACE), fmt), formatted(feedback.strip(WHITESPACE), fmt)


def _split(answers: str, separator: str, minimum: int) -> list[str]:
    """The answers split on the separator (an empty or '0' first part dropped); at least `minimum` of them."""
    parts = answers.split(separator)
    if parts[0].strip(WHITESPACE) in ("", "0"):
        parts.pop(0)
    if len(parts) < minimum:
        raise Invalid("importminerror")
    return [part.strip(WHITESPACE) for part in parts]


def _number(text: str) -> float:
    """The text as a number, as PHP's is_numeric() accepts it."""
    if not NUMBER.fullmatch(text):
        raise Invalid("errornotnumbers")
    return float(text)


def _weighted(answer: str, default: float) -> tuple[float, str]:
    """(fraction, rest) of an answer starting with an optional %weight%."""
    match = WEIGHT.match(answer)
    if not match:
        return default, answer
    return _number(match[1]) / 100, answer[match.end():]


def _multichoice(answers: str, fmt: str) -> dict:
    """Multiple choice: '=' right, '~' wrong, '~%n%' weighted; single answer iff some answer uses '='."""
    records = []
    for part in _split(answers.replace("=", "~="), "~", 2):
        fraction, part = (1.0, part[1:]) if part.startswith("=") else _weighted(part, 0.0)
        (text, text_format), (feedback, feedback_format) = _with_feedback(part, fmt)
        records.append({"text": text, "format": text_format, "fraction": fraction,
                        "feedback": feedback, "feedbackformat": feedback_format})
    return {"single": "=" in answers, "answers": records}


def _shortanswer(answers: str, fmt: str) -> dict:
    """Short answer: accepted answers after '=', 100 % unless weighted."""
    records = []
    for part in _split(answers, "=", 1):
        fraction, part = _weighted(part, 1.0)
        (text, _), (feedback, feedback_format) = _with_feedback(part, fmt)
        records.append({"text": text, "fraction": fraction, "feedback": feedback, "feedbackformat": feedback_format})
    return {"answers": records}


def _numeric_value(value: str) -> tuple[str | float | int, str | float | int]:
    """(answer, tolerance) from 'n', 'n:tolerance' or 'min..max'."""
    if value.find("..") > 0:
        low, high = (_number(bound.strip(WHITESPACE)) for bound in value.split("..", 1))
        return (low + high) / 2, high - (low + high) / 2
    if value.find(":") > 0:
        answer, _, tolerance = value.partition(":")
        answer, tolerance = answer.strip(WHITESPACE), tolerance.strip(WHITESPACE)
    else:
        answer, tolerance = value, 0
    if answer != "*":
        _number(answer)
    _number(str(tolerance))
    return answer, tolerance


def _numerical(answers: str, fmt: str) -> dict:
    """Numerical: '#' then answers after '='; everything from the first '~' is the catch-all wrong feedback."""
    body, tilde, wrong = answers[1:].partition("~")
    parts = body.split("=")
    if parts[0].strip(WHITESPACE) in ("", "0"):
        parts.pop(0)
    if not parts:
        raise Invalid("giftnonumericalanswers")
    records = []
    for part in parts:
        fraction, part = _weighted(part.strip(WHITESPACE), 1.0)
        (value, _), (feedback, feedback_format) = _with_feedback(part, fmt)
        answer, tolerance = _numeric_value(value)
        records.append({"answer": answer, "tolerance": tolerance, "fraction": fraction,
                        "feedback": feedback, "feedbackformat": feedback_format})
    if tilde:
        _, (feedback, feedback_format) = _with_feedback(tilde + wrong, fmt)
        records.append({"answer": "*", "tolerance": "", "fraction": 0.0,
                        "feedback": feedback, "feedbackformat": feedback_format})
    return {"answers": records}


def _match(answers: str, fmt: str) -> dict:
    """Matching: '=subquestion -> answer' pairs; an empty subquestion adds a wrong answer."""
    subquestions = []
    for part in _split(answers, "=", 2):
        question, arrow, answer = part.partition("->")
        if not arrow:
            raise Invalid("giftmatchingformat")
        text, text_format = formatted(question, fmt)
        subquestions.append({"text": text, "format": text_format, "answer": restore(answer).strip(WHITESPACE)})
    return {"subquestions": subquestions}


def _truefalse(answers: str, fmt: str) -> dict:
    """True/false: 'TRUE#feedback if wrong#feedback if right'."""
    bits = [*answers.split("#", 2), "", ""]
    answer, _ = formatted(bits[0].strip(WHITESPACE), fmt)
    wrong, right = (formatted(bit.strip(WHITESPACE), fmt) for bit in bits[1:3])
    correct = answer in ("T", "TRUE")
    on_true, on_false = (right, wrong) if correct else (wrong, right)
    return {"correctanswer": correct, "feedbacktrue": {"text": on_true[0], "format": on_true[1]},
            "feedbackfalse": {"text": on_false[0], "format": on_false[1]}, "penalty": 1}


def question_type(answers: str, description: bool) -> str:
    """The question type, detected in Moodle's order."""
    if description:
        return "description"
    if not answers:
        return "essay"
    if answers.startswith(">"):
        raise Invalid("giftordering")
    if answers.startswith("#"):
        return "numerical"
    if "~" in answers:
        return "multichoice"
    if "=" in answers and "->" in answers:
        return "match"
    head = answers[:answers.find("#")].strip(WHITESPACE) if answers.find("#") > 0 else answers
    return "truefalse" if head in TRUE_FALSE else "shortanswer"


PARSERS = {"multichoice": _multichoice, "shortanswer": _shortanswer, "numerical": _numerical,
           "match": _match, "truefalse": _truefalse, "essay": lambda _a, _f: {},
           "description": lambda _a, _f: {"defaultmark": 0}}
