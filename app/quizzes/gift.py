"""Moodle GIFT import: `read_gift()` turns a GIFT file into Moodle-style question records (`write_gift()` exports).

The rules restate Moodle 4.5's GIFT importer (tests/data/gift/README.md lists them): the file is UTF-8, a blank
line (or a line that is just ``0``) ends a question, every line is trimmed, ``//`` lines are comments that may carry
``[id:...]`` and ``[tag:...]``, ``\\`` escapes ``\\ : # = { } ~`` and ``\\n`` is a newline, ``$CATEGORY:`` switches
category, ``::title::`` names a question, ``[html]``/``[moodle]``/``[plain]``/``[markdown]`` mark a text's format and
the text between the first ``{`` and the first ``}`` holds the answers (``####`` starts the general feedback).

Records follow the README's schema: ``qtype``, ``name``, ``name_is_auto``, ``questiontext(format)``,
``generalfeedback(format)``, ``idnumber``, ``tags``, the type's own fields and ``_source_lines`` ("first-last").
Numerical ``answer``/``tolerance`` keep Moodle's values: the text as written, ``0`` for an exact answer, floats for
``min..max`` and ``""`` as the tolerance of the ``~`` catch-all.

Errors: Moodle stops at the first question it cannot read and imports nothing. Here every block is read, every
failing block is collected and, if there is any, `GiftErrors` is raised listing them all, so a trainer sees every
problem at once. Each item is a `GiftError` with the block's first line and Moodle's error identifier (``braceerror``,
``importminerror``, ``giftmatchingformat``, ``giftnonumericalanswers``, ``errornotnumbers``, or ``encoding`` for a
file that is not UTF-8); `GiftErrors.records` still holds the questions that were read.

Stricter than Moodle: a numerical answer that is not a number is refused (``errornotnumbers``; Moodle silently turns
it into "*", which accepts any response), and the ordering plug-in's ``{>...}`` extension is refused
(``giftordering``; Moodle without the plug-in would read it as a short answer).
"""

import re
from collections.abc import Iterator

from app.quizzes.gift_writer import write_gift

__all__ = ["GiftError", "GiftErrors", "read_gift", "write_gift"]

WHITESPACE = " \t\n\r\0\x0b"  # what PHP's trim() removes
FORMATS = ("moodle", "html", "plain", "markdown")
MESSAGES = {
    "braceerror": "Could not find {...} around answers",
    "importminerror": "There is an error in the question. There are not enough answers for this question type",
    "giftmatchingformat": "Matching question answers are improperly formatted",
    "giftnonumericalanswers": "No answers found for numerical question",
    "errornotnumbers": "Error - answers must be numeric",
    "giftordering": "Ordering questions ({>...}) need Moodle's ordering plug-in and cannot be imported",
    "encoding": "The file you selected does not use UTF-8 character encoding. GIFT format files must use UTF-8.",
}
PLACEHOLDERS = {":": "\ue000", "#": "\ue001", "=": "\ue002", "{": "\ue003", "}": "\ue004", "~": "\ue005", "n": "\ue006"}
RESTORE = str.maketrans({v: "\n" if k == "n" else k for k, v in PLACEHOLDERS.items()})
ESCAPE = re.compile(r"\\([\\:#={}~n])")
WEIGHT = re.compile(r"^%(-*[0-9]{1,2}\.?[0-9]*)%")
NUMBER = re.compile(r"[ \t\n\r\v\f]*[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?[ \t\n\r\v\f]*")
ID_MARK = re.compile(r"\[id:((?:\\.|[^\]\\])*)\]")
TAG_MARK = re.compile(r"\[tag:((?:\\.|[^\]\\])*)\]")
TAG_HTML = re.compile(r"<[^>]*>")
TRUE_FALSE = ("T", "TRUE", "F", "FALSE")


class GiftError(ValueError):
    """One question block that cannot be imported: file, first line, message and Moodle's error identifier."""

    def __init__(self, path: str, line: int, message: str, code: str) -> None:
        super().__init__(f"{path}:{line}: {message}")
        self.path, self.line, self.message, self.code = path, line, message, code


class GiftErrors(GiftError):
    """Every failing block of a file (`errors`), plus the records that were read (`records`); fields of the first."""

    def __init__(self, errors: list[GiftError], records: list[dict] | None = None) -> None:
        first = errors[0]
        super().__init__(first.path, first.line, first.message, first.code)
        self.errors, self.records = list(errors), list(records or [])

    def __str__(self) -> str:
        return "\n".join(f"{error.path}:{error.line}: {error.message}" for error in self.errors)

    def __iter__(self) -> Iterator[GiftError]:
        return iter(self.errors)

    def __len__(self) -> int:
        return len(self.errors)


class _Invalid(Exception):
    """A block fails with this Moodle error identifier."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def to_text(data: bytes | str) -> tuple[str, int | None]:
    """The data as text, or ("", line of the first byte that is not UTF-8)."""
    if isinstance(data, str):
        return data, None
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError as exc:
        return "", data.count(b"\n", 0, exc.start) + 1


def split_lines(text: str) -> list[str]:
    """The file's lines as Moodle reads them: BOM removed, old-Mac CR-only files split on CR."""
    text = text.removeprefix("\ufeff")
    return text.split("\r") if "\r" in text and "\n" not in text else text.split("\n")


def shorten(text: str, ideal: int) -> str:
    """The text cut at a word boundary to at most `ideal` characters, ending in '...' when cut."""
    if len(text) <= ideal:
        return text
    left = ideal - 3
    cut = next((min(pos + 1, left) for pos in range(left, 0, -1) if text[pos] in " ." or ord(text[pos]) >= 0x800),
               left)
    return text[:cut].rstrip() + "..."


def clean_name(name: str) -> str:
    """A question name as Moodle stores it: tags removed, one line, trimmed, at most 255 characters."""
    name = TAG_HTML.sub("", name).replace("\r", "").replace("\n", " ").strip(WHITESPACE)
    return shorten(name, 251) if len(name) > 255 else name


def default_name(questiontext: str) -> str:
    """The name Moodle derives from a question's text when it has no title."""
    return clean_name(shorten(TAG_HTML.sub("", questiontext), 80)) or "Question name"


def _blocks(lines: list[str]) -> Iterator[tuple[int, list[str]]]:
    """(first line number, trimmed lines) of each question block; blank lines and lines '0' separate blocks."""
    block: list[str] = []
    for number, raw in enumerate(lines, 1):
        line = raw.strip(WHITESPACE)
        if line not in ("", "0"):
            block.append(line)
        elif block:
            yield number - len(block), block
            block = []
    if block:
        yield len(lines) - len(block) + 1, block


def _protect(text: str) -> str:
    """Escaped characters replaced by placeholders, '\\\\' by a backslash."""
    return ESCAPE.sub(lambda m: "\\" if m[1] == "\\" else PLACEHOLDERS[m[1]], text)


def _restore(text: str) -> str:
    """Placeholders turned back into the characters they stand for."""
    return text.translate(RESTORE)


def _formatted(text: str, default: str = "moodle") -> tuple[str, str]:
    """(text, format): a leading [format] marker removed; without a known marker the default format."""
    fmt = default
    end = text.find("]")
    if text.startswith("[") and end > 0 and text[1:end] in FORMATS:
        fmt, text = text[1:end], text[end + 1:]
    return _restore(text).strip(WHITESPACE), fmt


def _with_feedback(answer: str, fmt: str) -> tuple[tuple[str, str], tuple[str, str]]:
    """((text, format), (feedback, format)) of an answer, the feedback after its first '#'."""
    text, _, feedback = answer.partition("#")
    return _formatted(text.strip(WHITESPACE), fmt), _formatted(feedback.strip(WHITESPACE), fmt)


def _split(answers: str, separator: str, minimum: int) -> list[str]:
    """The answers split on the separator (an empty or '0' first part dropped); at least `minimum` of them."""
    parts = answers.split(separator)
    if parts[0].strip(WHITESPACE) in ("", "0"):
        parts.pop(0)
    if len(parts) < minimum:
        raise _Invalid("importminerror")
    return [part.strip(WHITESPACE) for part in parts]


def _number(text: str) -> float:
    """The text as a number, as PHP's is_numeric() accepts it."""
    if not NUMBER.fullmatch(text):
        raise _Invalid("errornotnumbers")
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
        raise _Invalid("giftnonumericalanswers")
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
            raise _Invalid("giftmatchingformat")
        text, text_format = _formatted(question, fmt)
        subquestions.append({"text": text, "format": text_format, "answer": _restore(answer).strip(WHITESPACE)})
    return {"subquestions": subquestions}


def _truefalse(answers: str, fmt: str) -> dict:
    """True/false: 'TRUE#feedback if wrong#feedback if right'."""
    bits = [*answers.split("#", 2), "", ""]
    answer, _ = _formatted(bits[0].strip(WHITESPACE), fmt)
    wrong, right = (_formatted(bit.strip(WHITESPACE), fmt) for bit in bits[1:3])
    correct = answer in ("T", "TRUE")
    on_true, on_false = (right, wrong) if correct else (wrong, right)
    return {"correctanswer": correct, "feedbacktrue": {"text": on_true[0], "format": on_true[1]},
            "feedbackfalse": {"text": on_false[0], "format": on_false[1]}, "penalty": 1}


def _qtype(answers: str, description: bool) -> str:
    """The question type, detected in Moodle's order."""
    if description:
        return "description"
    if not answers:
        return "essay"
    if answers.startswith(">"):
        raise _Invalid("giftordering")
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


def _title(text: str) -> tuple[str | None, str]:
    """(name or None, rest of the text) from a leading '::title::'."""
    if not text.startswith("::"):
        return None, text
    name, found, rest = text[2:].partition("::")
    if not found:
        return None, text[2:]
    return clean_name(_restore(name)), rest.strip(WHITESPACE)


def _answer_block(text: str) -> tuple[str, str, bool]:
    """(question text, answers, is description): the answers are cut out, '_____' left in mid-text."""
    start, finish = text.find("{"), text.find("}")
    if start < 0 and finish < 0:
        return text, "", True
    if start < 0 or finish < start:
        raise _Invalid("braceerror")
    blank = "" if text.endswith("}") else "_____"
    return text[:start] + blank + text[finish + 1:], text[start + 1:finish].strip(WHITESPACE), False


def _comment_marks(comments: str) -> tuple[str, list[str]]:
    """(idnumber, tags) from '[id:...]' and '[tag:...]' in comment lines ('\\]' escapes ']')."""
    found = ID_MARK.search(comments)
    idnumber = found[1].strip().replace("\\]", "]") if found else ""
    return idnumber, [tag.strip().replace("\\]", "]") for tag in TAG_MARK.findall(comments)]


def _read_block(lines: list[str]) -> dict | None:
    """The record for one block; None for a block of comments only."""
    comments = "\n".join(line for line in lines if line.startswith("//"))
    text = "\n".join(" " if line.startswith("//") else line for line in lines).strip(WHITESPACE)
    if not text:
        return None
    text = _protect(text)
    if text.startswith("$CATEGORY:"):
        return {"qtype": "category", "category": _restore(text[10:]).strip(WHITESPACE)}
    name, text = _title(text)
    questiontext, answers, description = _answer_block(text)
    answers, separator, general = answers.rpartition("####")
    if not separator:
        answers, general = general, ""
    answers = answers.strip(WHITESPACE)
    questiontext, fmt = _formatted(questiontext)
    generalfeedback, generalformat = _formatted(general, fmt)
    qtype = _qtype(answers, description)
    idnumber, tags = _comment_marks(comments)
    record = {"qtype": qtype, "name": default_name(questiontext) if name is None else name,
              "name_is_auto": name is None, "questiontext": questiontext, "questiontextformat": fmt,
              "generalfeedback": generalfeedback, "generalfeedbackformat": generalformat,
              "idnumber": idnumber, "tags": tags}
    record.update(PARSERS[qtype](answers, fmt))
    return record


def read_gift(data: bytes | str, path: str = "<gift>") -> list[dict]:
    """The question and category records of a GIFT file; raises GiftErrors listing every block that fails."""
    text, bad_line = to_text(data)
    if bad_line is not None:
        raise GiftErrors([GiftError(path, bad_line, MESSAGES["encoding"], "encoding")])
    lines = split_lines(text)
    records, errors = [], []
    for first, block in _blocks(lines):
        try:
            record = _read_block(block)
        except _Invalid as exc:
            errors.append(GiftError(path, first, MESSAGES[exc.code], exc.code))
            continue
        if record is not None:
            record["_source_lines"] = f"{first}-{first + len(block) - 1}"
            records.append(record)
    if errors:
        raise GiftErrors(errors, records)
    return records
