"""Aiken: Moodle's fixtures read with Moodle's meaning, every broken question reported with its line."""

import json
import math
from pathlib import Path

import pytest

from app.quizzes.aiken import AikenErrors, read_aiken
from app.quizzes.gift import read_gift, write_gift

DATA = Path(__file__).resolve().parent.parent / "data" / "aiken"


def _expected(name: str) -> dict:
    return json.loads((DATA / f"{name}.expected.json").read_text("utf-8"))


def assert_contains(actual, expected, where: str = "records") -> None:
    """Every key the expectation names has the expected value (numbers with a small tolerance)."""
    if isinstance(expected, dict):
        for key, value in expected.items():
            assert key in actual, f"{where}: no {key!r}"
            assert_contains(actual[key], value, f"{where}.{key}")
    elif isinstance(expected, list):
        assert len(actual) == len(expected), f"{where}: {actual!r} != {expected!r}"
        for index, (got, want) in enumerate(zip(actual, expected, strict=True)):
            assert_contains(got, want, f"{where}[{index}]")
    elif isinstance(expected, float | int) and not isinstance(expected, bool):
        assert math.isclose(actual, expected, abs_tol=1e-12), f"{where}: {actual!r} != {expected!r}"
    else:
        assert actual == expected, f"{where}: {actual!r} != {expected!r}"


def test_reads_moodle_fixture():
    """A trainer's Aiken file imports as single-answer multiple choice with the right option marked."""
    records = read_aiken((DATA / "questions.aiken.txt").read_bytes(), "questions.aiken.txt")
    assert_contains(records, _expected("questions.aiken")["expected_questions"])
    assert [r["_source_lines"] for r in records] == ["1-6", "8-11"]
    assert all(r["qtype"] == "multichoice" and r["single"] and r["name_is_auto"] for r in records)


def test_reports_every_broken_question():
    """Every broken Aiken question is reported with Moodle's wording and line, and the good ones are still read."""
    expected = _expected("aiken_errors")
    with pytest.raises(AikenErrors) as caught:
        read_aiken((DATA / "aiken_errors.txt").read_bytes(), "aiken_errors.txt")
    report = str(caught.value)
    for message in expected["expected_errors_contain"]:
        assert message in report
    assert [(e.code, e.line) for e in caught.value] == [
        ("questionmissinganswers", 3), ("questionnotstarted", 5), ("questionnotstarted", 7),
        ("questionnotcomplete", 18)]
    assert report.splitlines()[1] == "aiken_errors.txt:5: Question not started on line 5"
    assert_contains(caught.value.records, expected["expected_questions"])


def test_answer_letter_must_name_an_option():
    """An ANSWER letter without such an option is an error, not a question without a right answer."""
    with pytest.raises(AikenErrors) as caught:
        read_aiken("Q?\nA) one\nB) two\nANSWER: C\n", "bank.txt")
    assert [(e.code, e.line) for e in caught.value] == [("answernotfound", 4)]
    assert caught.value.records == []


def test_unfinished_last_question_is_reported():
    """A question left without ANSWER at the end of the file is reported instead of silently dropped."""
    with pytest.raises(AikenErrors) as caught:
        read_aiken("Q1?\nA) a\nB) b\nANSWER: B\n\nQ2?\nA) a\nB) b\n", "bank.txt")
    assert [(e.code, e.line) for e in caught.value] == [("questionnotcompleteeof", 8)]
    assert [r["questiontext"] for r in caught.value.records] == ["Q1?"]


def test_file_must_be_utf8():
    """A file saved in Windows-1252 is refused with the line of the first bad byte, as Moodle refuses it."""
    with pytest.raises(AikenErrors) as caught:
        read_aiken("Q?\nA) caf\u00e9\nB) b\nANSWER: A\n".encode("cp1252"), "bank.txt")
    assert [(e.code, e.line) for e in caught.value] == [("encoding", 2)]
    assert "Aiken format files must use UTF-8" in str(caught.value)


def test_bom_and_crlf_are_accepted():
    """Files saved by Windows editors (BOM, CRLF, options without a space) read like any other."""
    records = read_aiken(b"\xef\xbb\xbfQ?\r\nA)yes\r\nB. no\r\nANSWER: A\r\n")
    assert [(a["text"], a["fraction"]) for a in records[0]["answers"]] == [("yes", 1.0), ("no", 0.0)]


def test_aiken_questions_export_as_gift():
    """An Aiken bank can be exported as GIFT and reads back as the same questions."""
    records = read_aiken((DATA / "questions.aiken.txt").read_bytes())
    again = read_gift(write_gift(records))
    for record in [*records, *again]:
        record.pop("_source_lines")
        record.pop("name_is_auto")
    assert again == records
