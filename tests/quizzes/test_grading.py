"""Grading by question type: partial credit, Moodle's multiple-response rules, never below zero."""

import pytest

from app.quizzes.format import parse_quiz

HEAD = "---\ntitle: T\n---\n\n"


def question(text):
    quiz = parse_quiz(HEAD + text)
    assert quiz.problems == []
    return quiz.questions[0]


def grade(q, response):
    return q.kind.grade(q.key, response)


def test_single_choice(bare_app):
    """The right choice earns full marks, a partial one its weight, garbage nothing."""
    q = question("## Q\n- [x] right\n- [ ] {50%} half\n- [ ] wrong\n")
    assert [grade(q, r) for r in (0, 1, 2, "7", None, "x")] == [1, 0.5, 0, 0, 0, 0]


def test_multiple_response_partial_and_never_negative(bare_app):
    """Each right tick earns its share, wrong ticks take it away, and the total never drops below zero."""
    q = question("## Q {multiple}\n- [x] a\n- [x] b\n- [ ] c\n- [ ] d\n")
    assert grade(q, ["0", "1"]) == 1
    assert grade(q, ["0"]) == 0.5
    assert grade(q, ["0", "1", "2", "3"]) == 0
    assert grade(q, ["2", "3"]) == 0
    assert grade(q, ["0", "0", "0"]) == 0.5  # a repeated choice counts once
    assert grade(q, "0") == 0 and grade(q, ["99", "x"]) == 0


def test_true_false_in_both_languages(bare_app):
    """True/false works with English or Bulgarian labels."""
    q = question("## Q {true-false}\n- [ ] Вярно\n- [x] Невярно\n")
    assert (grade(q, "false"), grade(q, "true"), grade(q, "maybe")) == (1, 0, 0)


@pytest.mark.parametrize("response, expected", [
    ("443", 1), (" 443 ", 1), ("HTTPS port 443", 0.5), ("https PORT   443", 0.5), ("80", 0), ("", 0), (None, 0),
])
def test_short_answer_case_insensitive_with_wildcard(bare_app, response, expected):
    """Accepted answers ignore case and extra spaces; '*' matches any text."""
    q = question("## Port? {short}\n- 443\n- {50%} https * 443\n")
    assert grade(q, response) == expected


def test_short_answer_case_sensitive(bare_app):
    """{case-sensitive} makes capitals count."""
    q = question("## Q {short, case-sensitive}\n- NIS2\n")
    assert (grade(q, "NIS2"), grade(q, "nis2")) == (1, 0)


def test_short_answer_wildcard_is_not_a_regex(bare_app):
    """Regex characters in an answer are literal; only '*' is a wildcard."""
    q = question("## Q {short}\n- a.b (c)\n")
    assert (grade(q, "a.b (c)"), grade(q, "axb (c)")) == (1, 0)


@pytest.mark.parametrize("response, expected", [
    ("40", 1), ("42", 1), ("38", 1), ("42.5", 0.5), ("42,5", 0.5), ("50", 0), ("forty", 0), ("", 0),
])
def test_numeric_tolerance_and_ranges(bare_app, response, expected):
    """A value within the tolerance counts; a Bulgarian decimal comma works; ranges give partial credit."""
    q = question("## Q {numeric}\n- 40 ± 2\n- {50%} 37..44\n")
    assert grade(q, response) == expected


def test_matching_partial_credit_and_distractors(bare_app):
    """Each right pair earns its share; a distractor is offered but matches nothing."""
    q = question("## Q {matching}\n- Phishing -> Fake message\n- Ransomware -> Encrypts files\n- -> Free pizza\n")
    assert q.kind.public(q.key)["options"] == ["Encrypts files", "Fake message", "Free pizza"]
    assert grade(q, {"0": "Fake message", "1": "Encrypts files"}) == 1
    assert grade(q, {"0": "Fake message", "1": "Free pizza"}) == 0.5
    assert grade(q, "garbage") == 0


def test_public_view_never_contains_the_answer_key(bare_app):
    """What the browser may see before submission holds no fractions, feedback or right answers."""
    quiz = parse_quiz(HEAD + "## A\n- [x] right\n    > yes\n- [ ] wrong\n\n## B {short}\n- secret\n\n"
                      "## C {numeric}\n- 42\n\n## D {true-false}\n- [x] True\n    > fb\n- [ ] False\n")
    for q in quiz.questions:
        public = repr(q.kind.public(q.key))
        for leak in ("fraction", "feedback", "secret", "42", "correct"):
            assert leak not in public
