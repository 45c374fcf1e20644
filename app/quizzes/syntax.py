"""Splitting a `*.quiz.md` file into questions, answers and feedback, keeping line numbers.

The grammar (written out for trainers in docs/authoring.md):

    quiz      = front-matter, { question }
    question  = "## " text [ "{" options "}" ] NL, body, { answer }, [ general-feedback ]
    body      = Markdown lines up to the first answer line
    answer    = "- " text NL, { indented "> " feedback line }
    general-feedback = top-level "> " lines after the answers

Which answers are allowed, and what they mean, is decided by the question type.
"""

import re
from dataclasses import dataclass, field

HEADING = re.compile(r"^##\s+(?P<text>.*?)\s*(?:\{(?P<options>[^{}]*)\})?\s*$")
FENCE = re.compile(r"^\s*(```|~~~)")
FEEDBACK = re.compile(r"^(?:\s{2,}|\t)>\s?(?P<text>.*)$")
GENERAL = re.compile(r"^>\s?(?P<text>.*)$")
ANSWER = re.compile(r"^- (?P<text>.*)$")


@dataclass
class RawAnswer:
    """One `- ...` line and its indented `> ...` feedback."""

    line: int
    text: str
    feedback: list = field(default_factory=list)

    @property
    def feedback_text(self):
        return "\n".join(self.feedback).strip()


@dataclass
class RawQuestion:
    """A question as written: heading, options, body, answers and general feedback."""

    line: int
    text: str
    options: str
    body: list = field(default_factory=list)
    answers: list = field(default_factory=list)
    general: list = field(default_factory=list)
    stray: list = field(default_factory=list)  # (line, text) that fit nowhere

    @property
    def body_text(self):
        return "\n".join(self.body).strip()

    @property
    def general_feedback(self):
        return "\n".join(self.general).strip()


def split_questions(body, first_line):
    """Split the body of a quiz file into RawQuestion objects; text before the first ## is returned too."""
    questions, preamble = [], []
    current, state, in_fence = None, "body", False
    for offset, line in enumerate(body.splitlines()):
        number = first_line + offset
        heading = None if in_fence else HEADING.match(line)
        if heading and line.startswith("## "):
            current = RawQuestion(number, heading["text"], heading["options"] or "")
            questions.append(current)
            state = "body"
            continue
        if current is None:
            if line.strip():
                preamble.append((number, line))
            continue
        state, in_fence = _place(current, state, in_fence, number, line)
    for question in questions:
        if not question.answers:
            _trailing_quote_is_general_feedback(question)
    return preamble, questions


def _trailing_quote_is_general_feedback(question):
    """In a question without answers (essay, description), a final `>` paragraph is the feedback."""
    lines = question.body
    while lines and not lines[-1].strip():
        lines.pop()
    end = len(lines)
    start = end
    while start > 0 and GENERAL.match(lines[start - 1]):
        start -= 1
    if start < end and (start == 0 or not lines[start - 1].strip()):
        question.general = [GENERAL.match(line)["text"] for line in lines[start:end]]
        del lines[start:end]

def _place(question, state, in_fence, number, line):
    """Put one line where it belongs; returns the new (state, in_fence)."""
    if state == "body":
        if FENCE.match(line):
            in_fence = not in_fence
        if in_fence or not ANSWER.match(line):
            question.body.append(line)
            return "body", in_fence
    if state in ("body", "answers") and ANSWER.match(line):
        question.answers.append(RawAnswer(number, ANSWER.match(line)["text"].strip()))
        return "answers", in_fence
    if state == "answers" and FEEDBACK.match(line) and question.answers:
        question.answers[-1].feedback.append(FEEDBACK.match(line)["text"])
        return "answers", in_fence
    if not line.strip():
        if state == "general":
            question.general.append("")
        return state, in_fence
    if state in ("answers", "general") and GENERAL.match(line):
        question.general.append(GENERAL.match(line)["text"])
        return "general", in_fence
    question.stray.append((number, line))
    return state, in_fence
