"""Interchange: GIFT and Aiken banks become quiz files with the same meaning, and back."""

import json
from pathlib import Path

import pytest

from app.quizzes.format import parse_quiz
from app.quizzes.gift import GiftError, read_gift
from app.quizzes.gift_writer import write_gift
from app.quizzes.markdown_writer import write_quiz_md

DATA = Path(__file__).resolve().parent.parent / "data" / "gift"
CASES = sorted(DATA.glob("*.gift"))


def _readable(path):
    try:
        return read_gift(path.read_bytes(), path.name)
    except GiftError:
        return None


def _meaning(record):
    """What grading depends on: the type and the answers with their credit."""
    qtype = record["qtype"]
    if qtype == "multichoice":
        answers = [(" ".join(a["text"].split()), round(a["fraction"], 4)) for a in record["answers"]]
        return qtype, record["single"], answers
    if qtype == "shortanswer":
        return qtype, [(a["text"], round(a["fraction"], 4)) for a in record["answers"]]
    if qtype == "numerical":
        return qtype, [(round(float(a["answer"]), 6), round(float(a["tolerance"] or 0), 6), a["fraction"])
                       for a in record["answers"] if str(a["answer"]) != "*"]
    if qtype == "match":
        return qtype, [(" ".join(s["text"].split()), s["answer"]) for s in record["subquestions"]]
    if qtype == "truefalse":
        return qtype, record["correctanswer"]
    return (qtype,)


@pytest.mark.parametrize("path", [p for p in CASES if _readable(p)], ids=lambda p: p.stem)
def test_gift_to_quiz_markdown_keeps_the_meaning(bare_app, path):
    """A Moodle GIFT question becomes a quiz question that grades the same way."""
    records = [r for r in read_gift(path.read_bytes(), path.name) if r["qtype"] != "category"]
    quiz = parse_quiz(write_quiz_md(records, "Imported"))
    if all(r["qtype"] == "description" for r in records):  # a quiz needs at least one question with points
        assert [str(m) for _line, m in quiz.problems] == ["the quiz has no questions: each question starts with '## '"]
        return
    assert [str(p) for p in quiz.problems] == []
    assert [_meaning(q.record()) for q in quiz.questions] == [_meaning(r) for r in records]
    again = read_gift(write_gift([q.record() for q in quiz.questions]))  # and back to GIFT
    assert [_meaning(r) for r in again] == [_meaning(r) for r in records]


def test_quiz_markdown_to_gift_and_back(bare_app):
    """A course quiz exported to GIFT imports back with the same questions and credit."""
    text = (Path(__file__).resolve().parents[2] / "courses" / "cyber-hygiene" / "06-check.quiz.md").read_text()
    records = [q.record() for q in parse_quiz(text).questions]
    again = read_gift(write_gift(records))
    assert [_meaning(r) for r in again] == [_meaning(r) for r in records]


def test_cli_convert_and_inspect(app, runner, tmp_path):
    """`flask quiz convert` writes the target format; `inspect` reads GIFT and Aiken with path:line errors."""
    target = tmp_path / "bank.quiz.md"
    result = runner.invoke(args=["quiz", "convert", str(DATA / "04_mc_multi_weights.gift"), str(target)])
    assert result.exit_code == 0, result.output
    assert "{multiple}" in target.read_text()
    result = runner.invoke(args=["quiz", "inspect", str(DATA / "04_mc_multi_weights.gift"), "--json"])
    assert json.loads(result.output)["questions"][0]["single"] is False
    result = runner.invoke(args=["quiz", "inspect", str(DATA / "33_error_missing_closing_brace.gift")])
    assert result.exit_code == 1 and "33_error_missing_closing_brace.gift:1: Could not find {...}" in result.output
    aiken = Path(__file__).resolve().parent.parent / "data" / "aiken" / "questions.aiken.txt"
    result = runner.invoke(args=["quiz", "inspect", str(aiken), "--json"])
    assert result.exit_code == 0 and json.loads(result.output)["questions"][0]["qtype"] == "multichoice"


def test_plain_txt_aiken_file_is_recognised(app, runner, tmp_path):
    """An Aiken file saved as plain .txt is read as Aiken, not GIFT."""
    bank = tmp_path / "bank.txt"
    bank.write_text("What is 2+2?\nA. 3\nB. 4\nANSWER: B\n", encoding="utf-8")
    result = runner.invoke(args=["quiz", "inspect", str(bank), "--json"])
    assert result.exit_code == 0, result.output
    question = json.loads(result.output)["questions"][0]
    assert question["qtype"] == "multichoice" and [a["fraction"] for a in question["answers"]] == [0, 1]
