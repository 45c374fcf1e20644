"""Moodle Aiken import: `read_aiken()` turns an Aiken file into single-answer multiple-choice question records.

The rules restate Moodle 4.5's Aiken importer (tests/data/aiken/README.md): the file is UTF-8; lines shorter than two
characters are ignored; ``A)`` or ``A.`` (a capital letter, optional space) starts an option; ``ANSWER: X`` closes
the question and marks option X (by position: A is the first) as the right one; any other line is a new question's
text. Texts are HTML-escaped and in HTML format; names are derived from the text as in GIFT.

Errors: Moodle reports a broken question, skips it and goes on. Here every problem is collected too and, if there is
any, `AikenErrors` is raised listing them all as ``path:line: message``, with `AikenErrors.records` holding the
questions that were read. Stricter than Moodle: an ``ANSWER:`` letter that names no option, and a question still
open at the end of the file, are errors (Moodle imports the first without a right answer and drops the second).
"""

import html
import re
from collections.abc import Iterator

from app.quizzes.gift import WHITESPACE, default_name, split_lines, to_text

__all__ = ["AikenError", "AikenErrors", "read_aiken"]

OPTION = re.compile(r"^[A-Z][).][ \t]?")
MESSAGES = {
    "questionnotstarted": "Question not started on line {line}",
    "questionmissinganswers": "Question must have at least 2 answers on line {line}",
    "questionnotcomplete": "Question not completed before next question start on line {line}",
    "questionnotcompleteeof": "Question not completed before the end of the file on line {line}",
    "answernotfound": "ANSWER does not name one of the options on line {line}",
    "encoding": "The file you selected does not use UTF-8 character encoding. Aiken format files must use UTF-8.",
}


class AikenError(ValueError):
    """One Aiken problem: file, line, message (Moodle's wording) and an error identifier."""

    def __init__(self, path: str, line: int, message: str, code: str) -> None:
        super().__init__(f"{path}:{line}: {message}")
        self.path, self.line, self.message, self.code = path, line, message, code


class AikenErrors(AikenError):
    """Every problem of a file (`errors`), plus the questions that were read (`records`); fields of the first."""

    def __init__(self, errors: list[AikenError], records: list[dict] | None = None) -> None:
        first = errors[0]
        super().__init__(first.path, first.line, first.message, first.code)
        self.errors, self.records = list(errors), list(records or [])

    def __str__(self) -> str:
        return "\n".join(f"{error.path}:{error.line}: {error.message}" for error in self.errors)

    def __iter__(self) -> Iterator[AikenError]:
        return iter(self.errors)

    def __len__(self) -> int:
        return len(self.errors)


def _error(path: str, line: int, code: str, question: dict | None = None) -> AikenError:
    """An AikenError, naming the question it concerns as Moodle does."""
    message = MESSAGES[code].format(line=line)
    if question is not None:
        message = f"Error importing question {question['name']}: {message}"
    return AikenError(path, line, message, code)


def _question(text: str, line: int) -> dict:
    """A new multiple-choice record for a question-text line."""
    questiontext = html.escape(text, quote=False)
    return {"qtype": "multichoice", "name": default_name(questiontext), "name_is_auto": True,
            "questiontext": questiontext, "questiontextformat": "html", "generalfeedback": "",
            "generalfeedbackformat": "html", "idnumber": "", "tags": [], "single": True, "answers": [],
            "_source_lines": str(line)}


def _option(text: str) -> dict:
    """An answer record for an option line (its first two characters dropped)."""
    return {"text": html.escape(text[2:].strip(WHITESPACE), quote=False), "format": "html", "fraction": 0.0,
            "feedback": "", "feedbackformat": "html"}


def _close(question: dict, line: str, number: int) -> str | None:
    """Mark the right option named by an 'ANSWER:' line; the error identifier when that is not possible."""
    answers = question["answers"]
    if len(answers) < 2:
        return "questionmissinganswers"
    letter = line[line.find(":") + 1:].strip(WHITESPACE)[:1]
    index = ord(letter) - ord("A") if letter else -1
    if not 0 <= index < len(answers):
        return "answernotfound"
    answers[index]["fraction"] = 1.0
    question["_source_lines"] += f"-{number}"
    return None


def read_aiken(data: bytes | str, path: str = "<aiken>") -> list[dict]:
    """The multiple-choice records of an Aiken file; raises AikenErrors listing every problem."""
    text, bad_line = to_text(data)
    if bad_line is not None:
        raise AikenErrors([_error(path, bad_line, "encoding")])
    records: list[dict] = []
    errors: list[AikenError] = []
    question: dict | None = None
    last = 0
    for number, raw in enumerate(split_lines(text), 1):
        line = raw.strip(WHITESPACE)
        if len(line) < 2:
            continue
        last = number
        if OPTION.match(line) or line.startswith("ANSWER:"):
            if question is None:
                errors.append(_error(path, number, "questionnotstarted"))
            elif line.startswith("ANSWER:"):
                code = _close(question, line, number)
                if code is None:
                    records.append(question)
                else:
                    errors.append(_error(path, number, code, question))
                question = None
            else:
                question["answers"].append(_option(line))
            continue
        if question is not None:
            errors.append(_error(path, number, "questionnotcomplete", question))
        question = _question(line, number)
    if question is not None:
        errors.append(_error(path, last, "questionnotcompleteeof", question))
    if errors:
        raise AikenErrors(errors, records)
    return records
