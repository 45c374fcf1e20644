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

from app.quizzes.gift_answers import PARSERS, WHITESPACE, Invalid, formatted, protect, question_type, restore
from app.quizzes.gift_writer import write_gift

__all__ = ["GiftError", "GiftErrors", "read_gift", "write_gift"]

MESSAGES = {
    "braceerror": "Could not find {...} around answers",
    "importminerror": "There is an error in the question. There are not enough answers for this question type",
    "giftmatchingformat": "Matching question answers are improperly formatted",
    "giftnonumericalanswers": "No answers found for numerical question",
    "errornotnumbers": "Error - answers must be numeric",
    "giftordering": "Ordering questions ({>...}) need Moodle's ordering plug-in and cannot be imported",
    "encoding": "The file you selected does not use UTF-8 character encoding. GIFT format files must use UTF-8.",
}
ID_MARK = re.compile(r"\[id:((?:\\.|[^\]\\])*)\]")
TAG_MARK = re.compile(r"\[tag:((?:\\.|[^\]\\])*)\]")
TAG_HTML = re.compile(r"<[^>]*>")


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


def _title(text: str) -> tuple[str | None, str]:
    """(name or None, rest of the text) from a leading '::title::'."""
    if not text.startswith("::"):
        return None, text
    name, found, rest = text[2:].partition("::")
    if not found:
        return None, text[2:]
    return clean_name(restore(name)), rest.strip(WHITESPACE)


def _answer_block(text: str) -> tuple[str, str, bool]:
    """(question text, answers, is description): the answers are cut out, '_____' left in mid-text."""
    start, finish = text.find("{"), text.find("}")
    if start < 0 and finish < 0:
        return text, "", True
    if start < 0 or finish < start:
        raise Invalid("braceerror")
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
    text = protect(text)
    if text.startswith("$CATEGORY:"):
        return {"qtype": "category", "category": restore(text[10:]).strip(WHITESPACE)}
    name, text = _title(text)
    questiontext, answers, description = _answer_block(text)
    answers, separator, general = answers.rpartition("####")
    if not separator:
        answers, general = general, ""
    answers = answers.strip(WHITESPACE)
    questiontext, fmt = formatted(questiontext)
    generalfeedback, generalformat = formatted(general, fmt)
    qtype = question_type(answers, description)
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
        except Invalid as exc:
            errors.append(GiftError(path, first, MESSAGES[exc.code], exc.code))
            continue
        if record is not None:
            record["_source_lines"] = f"{first}-{first + len(block) - 1}"
            records.append(record)
    if errors:
        raise GiftErrors(errors, records)
    return records
