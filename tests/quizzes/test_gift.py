"""GIFT: Moodle's fixtures and the conformance cases read with Moodle's meaning, and written back unchanged."""

import json
import math
import re
from pathlib import Path

import pytest

from app.quizzes.gift import GiftError, GiftErrors, read_gift, write_gift

DATA = Path(__file__).resolve().parent.parent / "data" / "gift"
CASES = [entry["file"] for entry in json.loads((DATA / "INDEX.json").read_text("utf-8"))]
FIXTURES = sorted(json.loads(path.read_text("utf-8"))["file"] for path in DATA.glob("*.expected.json")
                  if not path.name[:2].isdigit())
ALL = CASES + FIXTURES
# Where this importer is deliberately stricter than Moodle (see the README of the conformance set): error code.
STRICTER = {"38_numerical_non_numeric_quirk.gift": "errornotnumbers",
            "qtype_ordering_testimport.gift.txt": "giftordering",
            "qtype_ordering_testexport.gift.txt": "giftordering"}
UNDECODABLE_LINE = {"questions_encoding_windows-1252.gift.txt": 15}
EXPORTED_BY_MOODLE = ["15_match_export_escaped_equals.gift", "16_truefalse_export_html_feedback.gift",
                      "17_numerical_export_form.gift", "18_truefalse_general_feedback_tags_export.gift"]


def _expected(name: str) -> dict:
    stem = name.removesuffix(".gift") if name[:2].isdigit() else name
    return json.loads((DATA / f"{stem}.expected.json").read_text("utf-8"))


def _without(value, keys):
    if isinstance(value, dict):
        return {key: _without(item, keys) for key, item in value.items() if key not in keys}
    if isinstance(value, list):
        return [_without(item, keys) for item in value]
    return value


def _number_like(value) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def assert_same(actual, expected, where: str = "records") -> None:
    """Equal structures; numbers (or numeric text against a number) compared with a small tolerance."""
    if isinstance(expected, dict):
        assert isinstance(actual, dict) and sorted(actual) == sorted(expected), f"{where}: {actual!r} != {expected!r}"
        for key, value in expected.items():
            assert_same(actual[key], value, f"{where}.{key}")
    elif isinstance(expected, list):
        assert isinstance(actual, list) and len(actual) == len(expected), f"{where}: {actual!r} != {expected!r}"
        for index, (got, want) in enumerate(zip(actual, expected, strict=True)):
            assert_same(got, want, f"{where}[{index}]")
    elif _number_like(actual) or _number_like(expected):
        assert math.isclose(float(actual), float(expected), rel_tol=1e-9, abs_tol=1e-12), f"{where}: {actual!r}"
    else:
        assert actual == expected, f"{where}: {actual!r} != {expected!r}"


def _first_line(record: dict) -> int:
    return int(record["_source_lines"].split("-")[0])


@pytest.mark.parametrize("name", ALL)
def test_reads_like_moodle(name):
    """A trainer's Moodle question bank imports with Moodle's own meaning, or fails where Moodle's would."""
    expected = _expected(name)
    data = (DATA / name).read_bytes()
    wanted = _without(expected["expected_questions"] or [], {"note", "qtype_detected"})
    if expected["expected_file_error"]:
        with pytest.raises(GiftErrors) as caught:
            read_gift(data, name)
        assert [(e.code, e.line) for e in caught.value] == [("encoding", UNDECODABLE_LINE[name])]
        assert caught.value.records == []
    elif name in STRICTER:
        with pytest.raises(GiftErrors) as caught:
            read_gift(data, name)
        assert [(e.code, e.line) for e in caught.value] == [(STRICTER[name], _first_line(wanted[0]))]
    elif any("error" in record for record in wanted):
        with pytest.raises(GiftErrors) as caught:
            read_gift(data, name)
        errors = [record for record in wanted if "error" in record]
        assert [(e.code, e.line) for e in caught.value] == [(r["error"], _first_line(r)) for r in errors]
        assert [e.message for e in caught.value] == [r["message"] for r in errors]
        assert_same(caught.value.records, [record for record in wanted if "error" not in record])
    else:
        assert_same(read_gift(data, name), wanted)


READABLE = [name for name in ALL if name not in STRICTER and not _expected(name)["expected_file_error"]
            and not any("error" in record for record in _expected(name)["expected_questions"])]


@pytest.mark.parametrize("name", READABLE)
def test_round_trip(name):
    """Questions exported as GIFT come back unchanged when imported again."""
    records = read_gift((DATA / name).read_bytes(), name)
    again = read_gift(write_gift(records), "exported.gift")
    ignored = {"_source_lines", "name_is_auto"}
    assert_same(_without(again, ignored), _without(records, ignored))


@pytest.mark.parametrize("name", EXPORTED_BY_MOODLE)
def test_export_matches_moodle(name):
    """An exported file looks like Moodle's own export of the same question, so Moodle reads it back."""
    source = (DATA / name).read_text("utf-8")
    written = write_gift(read_gift(source, name))
    number = re.compile(r"^// question: \d+", re.MULTILINE)
    assert number.sub("// question: N", written).strip() == number.sub("// question: N", source).strip()


def test_every_failing_block_is_reported():
    """A trainer sees every broken question of a file at once, each with its file and first line."""
    text = "::Good::Fine? {T}\n\n::Broken:: 2+2? {=4\n\n// comment\n::One:: Pick {~only}\n\n::BadMatch:: {=a -> 1 =b}\n"
    with pytest.raises(GiftErrors) as caught:
        read_gift(text, "bank.gift")
    assert [(e.code, e.line) for e in caught.value] == [("braceerror", 3), ("importminerror", 5),
                                                         ("giftmatchingformat", 8)]
    assert str(caught.value).splitlines() == [
        "bank.gift:3: Could not find {...} around answers",
        "bank.gift:5: There is an error in the question. There are not enough answers for this question type",
        "bank.gift:8: Matching question answers are improperly formatted"]
    assert [record["name"] for record in caught.value.records] == ["Good"]
    assert isinstance(caught.value, GiftError) and len(caught.value) == 3


def test_single_error_reads_as_path_line_message():
    """An error message points at the file and line to fix."""
    error = GiftError("bank.gift", 7, "Could not find {...} around answers", "braceerror")
    assert str(error) == "bank.gift:7: Could not find {...} around answers"


def test_old_mac_line_endings_and_zero_lines():
    """Files saved with CR-only line endings read like any other; a line '0' ends a question as in Moodle."""
    records = read_gift(b"// q\r::A::Yes? {T}\r\r::B::No? {F}\r0\r::C::Text")
    assert [(r["name"], r["qtype"], r["_source_lines"]) for r in records] == [
        ("A", "truefalse", "1-2"), ("B", "truefalse", "4-4"), ("C", "description", "6-6")]


def test_writer_refuses_what_gift_cannot_say():
    """Export never silently writes a question that would come back as a different question."""
    question = {"qtype": "shortanswer", "name": "Arrow", "questiontext": "Next?", "questiontextformat": "moodle",
                "answers": [{"text": "a -> b", "fraction": 1, "feedback": "", "feedbackformat": "moodle"}]}
    with pytest.raises(ValueError, match="->"):
        write_gift([question])


def test_awkward_texts_survive_the_round_trip():
    """Texts that look like GIFT syntax (markers, weights, escapes, newlines) come back exactly."""
    records = [{"qtype": "multichoice", "name": "[tag:x] a::b", "questiontext": "[html] is text\n{x} = y \\n",
                "questiontextformat": "moodle", "generalfeedback": "#### done", "generalfeedbackformat": "moodle",
                "idnumber": "id]1", "tags": ["t]1", "t2"], "single": True,
                "answers": [{"text": "%50%odd", "format": "moodle", "fraction": 0, "feedback": "",
                             "feedbackformat": "html"},
                            {"text": "=x~y#z", "format": "plain", "fraction": 1, "feedback": "a:b",
                             "feedbackformat": "moodle"}]},
               {"qtype": "truefalse", "name": "TF", "questiontext": "T?", "questiontextformat": "markdown",
                "generalfeedback": "", "generalfeedbackformat": "markdown", "idnumber": "", "tags": [],
                "correctanswer": False, "feedbacktrue": {"text": "", "format": "markdown"},
                "feedbackfalse": {"text": "Right", "format": "html"}, "penalty": 1}]
    again = read_gift(write_gift(records))
    assert_same(_without(again, {"_source_lines", "name_is_auto"}), records)
