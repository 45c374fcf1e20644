"""Writing question records as GIFT in Moodle's export form, so that `read_gift()` gives the same records back.

Each record becomes ``// question: N  name: ...``, an optional ``// [id:...] [tag:...]`` line, ``::name::``, the
question text with its ``[format]`` marker when it is not ``moodle``, and the answers, tab-indented, with explicit
weights (``=%100%``, ``~%-50%``) for short-answer, numerical and multiple-answer questions. ``\\ # = ~ { } :`` are
escaped and newlines written as ``\\n``. A few things GIFT cannot say raise ValueError instead of writing a file that
would read back differently: ``->`` in a short answer or in a matching subquestion, and more than one catch-all
numerical answer. A description's general feedback has no place in GIFT and is dropped, as Moodle does.
"""

import math

SPECIAL = str.maketrans({"\\": "\\\\", "#": "\\#", "=": "\\=", "~": "\\~", "{": "\\{", "}": "\\}", ":": "\\:",
                         "\n": "\\n", "\r": ""})


def _escape(text: str) -> str:
    """The text with GIFT's special characters escaped and newlines as '\\n'."""
    return str(text).translate(SPECIAL)


def _marked(text: str, fmt: str, default: str) -> str:
    """Escaped text behind a [format] marker when its format is not the default (or it starts with '[')."""
    marker = f"[{fmt}]" if fmt != default or str(text).startswith("[") else ""
    return marker + _escape(text)


def _number(value: object) -> str:
    """A number as GIFT text: integral floats without '.0', others at full precision."""
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    return str(value).strip()


def _percent(fraction: float) -> str:
    """A fraction as a GIFT weight in percent, e.g. 0.5 -> '50'."""
    text = f"{round(float(fraction) * 100, 7):f}".rstrip("0").rstrip(".")
    return "0" if text in ("", "-0") else text


def _feedback(record: dict, text_key: str, format_key: str, default: str) -> str:
    """'#feedback' (with marker) or '' when there is no feedback to write."""
    text, fmt = record.get(text_key, ""), record.get(format_key, default)
    return "#" + _marked(text, fmt, default) if text or fmt != default else ""


def _general(record: dict, fmt: str) -> str:
    """'####general feedback' or '' when there is none."""
    text, gfmt = record.get("generalfeedback", ""), record.get("generalfeedbackformat", fmt)
    return "####" + _marked(text, gfmt, fmt) if text or gfmt != fmt else ""


def _refuse_arrow(record: dict, texts: list[str], where: str) -> None:
    """ValueError when '->' appears where GIFT would read it as a matching pair."""
    if any("->" in str(text) for text in texts):
        raise ValueError(f"Question {record.get('name', '')!r}: '->' in {where} cannot be written in GIFT")


def _multichoice(record: dict, fmt: str) -> list[str]:
    """Answer lines of a multiple-choice question; at least one '~' so it reads back as multiple choice."""
    single, answers = record.get("single", True), record.get("answers", [])
    prefixes = []
    for answer in answers:
        fraction = float(answer.get("fraction", 0))
        if single and math.isclose(fraction, 1):
            prefixes.append("=")
        elif fraction == 0 and not str(answer.get("text", "")).startswith("%"):
            prefixes.append("~")
        else:
            prefixes.append(f"~%{_percent(fraction)}%")
    if prefixes and not any(prefix.startswith("~") for prefix in prefixes):
        prefixes[-1] = "~%100%"
    return [prefix + _marked(answer.get("text", ""), answer.get("format", fmt), fmt)
            + _feedback(answer, "feedback", "feedbackformat", fmt)
            for prefix, answer in zip(prefixes, answers, strict=True)]


def _shortanswer(record: dict, fmt: str) -> list[str]:
    """Answer lines of a short-answer question, each with its weight."""
    answers = record.get("answers", [])
    _refuse_arrow(record, [a.get("text", "") for a in answers] + [a.get("feedback", "") for a in answers],
                  "a short answer")
    return [f"=%{_percent(answer.get('fraction', 1))}%" + _marked(answer.get("text", ""), fmt, fmt)
            + "#" + _marked(answer.get("feedback", ""), answer.get("feedbackformat", fmt), fmt) for answer in answers]


def _numerical(record: dict, fmt: str) -> list[str]:
    """Answer lines of a numerical question; the catch-all ('*' without tolerance) last, after '~'."""
    answers = record.get("answers", [])
    catch_all = [a for a in answers if a.get("answer") == "*" and a.get("tolerance") == "" and not a.get("fraction")]
    if len(catch_all) > 1:
        raise ValueError(f"Question {record.get('name', '')!r}: GIFT holds one catch-all numerical answer only")
    lines = [f"=%{_percent(a.get('fraction', 1))}%{_number(a.get('answer'))}:{_number(a.get('tolerance') or 0)}#"
             + _marked(a.get("feedback", ""), a.get("feedbackformat", fmt), fmt)
             for a in answers if a not in catch_all]
    return lines + ["~#" + _marked(a.get("feedback", ""), a.get("feedbackformat", fmt), fmt) for a in catch_all]


def _match(record: dict, fmt: str) -> list[str]:
    """'=subquestion -> answer' lines of a matching question."""
    subquestions = record.get("subquestions", [])
    _refuse_arrow(record, [sub.get("text", "") for sub in subquestions], "a matching subquestion")
    return ["=" + _marked(sub.get("text", ""), sub.get("format", fmt), fmt) + " -> " + _escape(sub.get("answer", ""))
            for sub in subquestions]


def _truefalse(record: dict, fmt: str) -> str:
    """'TRUE#feedback if wrong#feedback if right' (or FALSE...)."""
    correct = bool(record.get("correctanswer"))
    right = record.get("feedbacktrue" if correct else "feedbackfalse") or {}
    wrong = record.get("feedbackfalse" if correct else "feedbacktrue") or {}
    right_text = _feedback(right, "text", "format", fmt)
    wrong_text = _feedback(wrong, "text", "format", fmt) or ("#" if right_text else "")
    return ("TRUE" if correct else "FALSE") + wrong_text + right_text


LINES = {"multichoice": _multichoice, "shortanswer": _shortanswer, "numerical": _numerical, "match": _match}


def _answers(record: dict, fmt: str) -> str:
    """The '{...}' part of a question (empty for a description)."""
    qtype = record["qtype"]
    if qtype == "description":
        return ""
    if qtype in ("essay", "truefalse"):
        inline = _truefalse(record, fmt) if qtype == "truefalse" else ""
        return "{" + inline + _general(record, fmt) + "}"
    if qtype not in LINES:
        raise ValueError(f"Question {record.get('name', '')!r}: GIFT cannot hold a {qtype!r} question")
    lines = [*LINES[qtype](record, fmt), _general(record, fmt)]
    opening = "{#\n" if qtype == "numerical" else "{\n"
    return opening + "".join(f"\t{line}\n" for line in lines if line) + "}"


def _comment(text: str) -> str:
    """Text safe for a '//' comment line: one line, no '[' that could read as an [id:] or [tag:] mark."""
    return str(text).replace("\r", " ").replace("\n", " ").replace("[", "(")


def _marks(record: dict) -> str:
    """'// [id:...] [tag:...]' line, or '' when the record has neither."""
    bits = [f"[id:{record['idnumber'].replace(']', chr(92) + ']')}]"] if record.get("idnumber") else []
    bits += [f"[tag:{tag.replace(']', chr(92) + ']')}]" for tag in record.get("tags") or []]
    return "// " + " ".join(bits) + "\n" if bits else ""


def _write(record: dict, number: int) -> str:
    """One record as a GIFT block followed by a blank line."""
    if record["qtype"] == "category":
        category = record.get("category", "")
        return f"// question: 0  name: Switch category to {_comment(category)}\n$CATEGORY: {_escape(category)}\n\n"
    fmt = record.get("questiontextformat", "moodle")
    name = record.get("name", "")
    return (f"// question: {number}  name: {_comment(name)}\n" + _marks(record) + f"::{_escape(name)}::"
            + _marked(record.get("questiontext", ""), fmt, "moodle") + _answers(record, fmt) + "\n\n")


def write_gift(records: list[dict]) -> str:
    """GIFT text for question and category records, in Moodle's export form."""
    return "".join(_write(record, number) for number, record in enumerate(records, 1))
