"""The Markdown quiz format: every question type, settings, and problems as line: message."""

import json

import pytest

from app.quizzes.format import parse_quiz

HEAD = "---\ntitle: Check\npass_mark: 70\nattempts: 3\ntime_limit: 20\nshuffle: true\n---\n\n"

DESIGN_EXAMPLE = """---
title: Phishing check
pass_mark: 80
attempts: 3
time_limit: 20
shuffle: true
draw: 5
---

## Which password is the strongest?
- [ ] Summer2024!
- [x] correct-horse-battery-staple
    > Long passphrases beat short complex ones.
- [ ] P@ssw0rd

> General feedback, shown after the attempt.

## Which of these are signs of phishing? {multiple}
- [x] Urgent pressure to act
- [x] A sender address that does not match the organisation
- [ ] A greeting with your name

## HTTPS proves that a website is honest. {true-false}
- [ ] True
- [x] False

## Which port does HTTPS use by default? {short}
- 443

## How many bits of entropy does this passphrase have? {numeric, points=2}
- 40 ± 2

## Match each threat to its description. {matching}
- Phishing -> A fraudulent message that asks for credentials
- Ransomware -> Malware that encrypts files for a ransom
"""


def test_the_design_example_parses(bare_app):
    """The example in the design document is a valid quiz with six questions."""
    quiz = parse_quiz(DESIGN_EXAMPLE)
    assert quiz.problems == []
    assert quiz.settings == {"title": "Phishing check", "pass_mark": 80, "attempts": 3, "time_limit": 20,
                             "shuffle": True, "draw": 5, "review": "full"}
    assert [q.type for q in quiz.questions] == ["single", "multiple", "true-false", "short", "numeric", "matching"]
    single = quiz.questions[0]
    assert [c["fraction"] for c in single.key["choices"]] == [0, 1, 0]
    assert single.key["choices"][1]["feedback"] == "Long passphrases beat short complex ones."
    assert single.general_feedback == "General feedback, shown after the attempt."
    assert quiz.questions[4].points == 2 and quiz.questions[4].key["answers"][0]["tolerance"] == 2
    json.dumps([q.record() for q in quiz.questions])  # records are plain JSON


def test_multiple_response_default_weights(bare_app):
    """Right choices share 100%; each wrong choice takes a share away, so ticking all earns nothing."""
    quiz = parse_quiz(HEAD + "## Q {multiple}\n- [x] a\n- [x] b\n- [ ] c\n- [ ] d\n")
    assert [c["fraction"] for c in quiz.questions[0].key["choices"]] == [0.5, 0.5, -0.5, -0.5]


def test_explicit_weights_and_negative_weights(bare_app):
    """Weights such as {50%} and {-25%} are taken as written."""
    quiz = parse_quiz(HEAD + "## Q {multiple}\n- [x] {70%} a\n- [x] {30%} b\n- [ ] {-25%} c\n")
    assert [c["fraction"] for c in quiz.questions[0].key["choices"]] == [0.7, 0.3, -0.25]


def test_essay_and_description(bare_app):
    """An essay has no answers (a trainer grades it); a description has no points."""
    quiz = parse_quiz(HEAD + "## Explain phishing. {essay, points=5}\n\nIn your words.\n\n> Mention urgency.\n\n"
                      "## Read this first {description}\n\nSome context.\n\n## Real {short}\n- x\n")
    essay, description, _short = quiz.questions
    assert quiz.problems == []
    assert essay.points == 5 and essay.body == "In your words." and essay.general_feedback == "Mention urgency."
    assert description.points == 0 and not description.kind.scored


def test_question_body_with_code_and_quote(bare_app):
    """A question body may hold Markdown, code and a quoted e-mail before its answers."""
    quiz = parse_quiz(HEAD + "## Is this mail genuine? {true-false}\n\n> Dear user, confirm your password.\n\n"
                      "```\n- [x] not an answer\n```\n\n- [ ] Вярно\n- [x] Невярно\n")
    assert quiz.problems == []
    question = quiz.questions[0]
    assert "> Dear user" in question.body and "- [x] not an answer" in question.body
    assert question.key["correct"] is False


@pytest.mark.parametrize("text, line, message", [
    ("---\npass_mark: 80\n---\n\n## Q\n- [x] a\n- [ ] b\n", 1, "the required key 'title' is missing"),
    ("No front matter\n", 1, "a quiz must begin with front matter"),
    (HEAD.replace("pass_mark: 70", "pass_mark: 170"), 3, "pass_mark is a percentage from 0 to 100"),
    (HEAD.replace("attempts: 3", "attempts: many"), 4, "attempts is a whole number"),
    (HEAD.replace("shuffle: true", "shuffle: sometimes"), 6, "shuffle is true or false"),
    (HEAD.replace("time_limit: 20", "time_limit: 0"), 5, "time_limit is a number of minutes"),
    (HEAD.replace("title: Check", "title: Check\nduration: 5"), 3, "unknown key 'duration'"),
    (HEAD.replace("title: Check", "title: Check\ndraw: 4") + "## Q\n- [x] a\n- [ ] b\n", 3,
     "draw asks for 4 questions but the quiz has 1"),
    (HEAD, 8, "the quiz has no questions"),
    (HEAD + "Intro text\n## Q\n- [x] a\n- [ ] b\n", 9, "text before the first question"),
    (HEAD + "## Q\n- a\n- b\n", 10, "a choice starts with '[x] '"),
    (HEAD + "## Q\n- [x] a\n- [x] b\n", 9, "mark exactly one choice with [x]"),
    (HEAD + "## Q\n- [x] a\n", 9, "a choice question needs at least two choices"),
    (HEAD + "## Q\n\nJust text\n", 9, "this question needs answers"),
    (HEAD + "## Q {multiple}\n- [x] {60%} a\n- [x] {60%} b\n", 9, "the positive weights add up to 120.0%"),
    (HEAD + "## Q {true-false}\n- [x] Maybe\n- [ ] Perhaps\n", 9, "the choices of a true/false question"),
    (HEAD + "## Q {true-false}\n- [x] True\n", 9, "a true/false question has exactly two choices"),
    (HEAD + "## Q {numeric}\n- forty\n", 10, "write a number, a number ± tolerance"),
    (HEAD + "## Q {matching}\n- a -> b\n", 9, "a matching question needs at least two pairs"),
    (HEAD + "## Q {matching}\n- a = b\n- c -> d\n- e -> f\n", 10, "write each pair as 'item -> match'"),
    (HEAD + "## Q {multiple, short}\n- x\n", 9, "a question has one type"),
    (HEAD + "## Q {multipel}\n- [x] a\n- [ ] b\n", 9, "unknown question option 'multipel'"),
    (HEAD + "## Q {points=0}\n- [x] a\n- [ ] b\n", 9, "points must be more than 0"),
    (HEAD + "## Q\n- [x] a\n- [ ] b\nstray text\n", 12, "this line is neither part of an answer nor feedback"),
    (HEAD + "## Q {essay}\n- an answer\n", 10, "an essay question has no answers"),
    (HEAD + "## Q {short}\n- {50%}\n", 10, "an accepted answer cannot be empty"),
])
def test_problems_name_the_line(bare_app, text, line, message):
    """Each mistake in a quiz is reported at its line with a message saying how to fix it."""
    problems = [(found_line, str(found)) for found_line, found in parse_quiz(text).problems]
    assert any(found_line == line and message in found for found_line, found in problems), problems


def test_quiz_errors_stop_a_course_import(bare_app):
    """A quiz syntax error is a package problem (path:line), so the course is not imported."""
    from app.content.package import Package
    from app.content.validator import all_problems, validate_packages
    from tests.content import packages

    files = packages.files(**{"03-check_dot_quiz_dot_md": "---\ntitle: C\n---\n\n## Q\n- [x] a\n"})
    package = Package("c", "c", {k: v if isinstance(v, bytes) else v.encode() for k, v in files.items()})
    problems = [str(p) for p in all_problems(validate_packages([package]))]
    assert problems == ["c/03-check.quiz.md:5: a choice question needs at least two choices"]


def test_cli_inspect_prints_records_and_errors(app, runner, tmp_path):
    """`flask quiz inspect FILE --json` prints the questions; a broken file exits 1 with path:line."""
    good = tmp_path / "good.quiz.md"
    good.write_text(DESIGN_EXAMPLE)
    result = runner.invoke(args=["quiz", "inspect", str(good), "--json"])
    assert result.exit_code == 0, result.output
    records = json.loads(result.output)["questions"]
    assert [r["qtype"] for r in records] == ["multichoice", "multichoice", "truefalse", "shortanswer",
                                            "numerical", "match"]
    assert records[1]["single"] is False and records[2]["correctanswer"] is False
    bad = tmp_path / "bad.quiz.md"
    bad.write_text(HEAD + "## Q\n- [x] a\n")
    result = runner.invoke(args=["quiz", "inspect", str(bad)])
    assert result.exit_code == 1 and f"{bad}:9: a choice question needs at least two choices" in result.output


def test_case_sensitive_flag_works_with_commas(bare_app):
    """{case-sensitive, short} and {short,case-sensitive} both make capitals count."""
    for options in ("case-sensitive, short", "short,case-sensitive"):
        question = parse_quiz(HEAD + f"## Q {{{options}}}\n- NIS2\n").questions[0]
        assert question.kind.grade(question.key, "nis2") == 0


def test_description_never_has_points(bare_app):
    """A description with points=… still counts for nothing, so draw and scores ignore it."""
    quiz = parse_quiz(HEAD + "## Intro {description, points=5}\n\nRead.\n\n## Q\n- [x] a\n- [ ] b\n")
    assert quiz.questions[0].points == 0


def test_quiz_to_gift_to_quiz_does_not_repeat_the_heading(bare_app):
    """Round-tripping a question with a body keeps the heading once."""
    from app.quizzes.gift import read_gift
    from app.quizzes.gift_writer import write_gift
    from app.quizzes.markdown_writer import write_quiz_md

    text = (HEAD + "## Is this mail genuine? {true-false}\n\nDear user, confirm your password.\n\n"
            "- [ ] True\n- [x] False\n")
    again = write_quiz_md(read_gift(write_gift([q.record() for q in parse_quiz(text).questions])), "T")
    assert again.count("Is this mail genuine?") == 1 and "Dear user" in again


def test_cli_convert_reports_what_gift_cannot_hold(app, runner, tmp_path):
    """A quiz GIFT cannot express gives a clear message and exit 1, not a traceback."""
    source = tmp_path / "x.quiz.md"
    source.write_text(HEAD + "## Q {short}\n- a -> b\n")
    result = runner.invoke(args=["quiz", "convert", str(source), str(tmp_path / "x.gift")])
    assert result.exit_code == 1 and "cannot be written as GIFT" in result.output and "Traceback" not in result.output
