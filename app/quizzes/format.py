"""Reading a `*.quiz.md` file: settings, questions and every problem as (line, message)."""

import re
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l

from app.content import frontmatter
from app.content.settings_checks import check_keys
from app.quizzes import choice_types, registry, text_types  # noqa: F401  (the imports register the types)
from app.quizzes.syntax import split_questions

QUIZ_KEYS = {"title", "pass_mark", "attempts", "time_limit", "shuffle", "draw", "review"}
REVIEW_LEVELS = ("full", "answers", "score")
FLAGS = {"case-sensitive"}
POINTS = re.compile(r"^points=(?P<value>\d+(?:\.\d+)?)$")


@dataclass
class Question:
    """One parsed question: its type keyword, text, points and answer key."""

    line: int
    type: str
    text: str
    body: str
    points: float
    key: dict
    general_feedback: str

    @property
    def kind(self):
        return registry.get(self.type)

    def record(self):
        """The question as a Moodle-style record (`flask quiz inspect --json`)."""
        questiontext = self.text + (f"\n\n{self.body}" if self.body else "")
        return {"qtype": self.kind.qtype, "name": self.text, "questiontext": questiontext,
                "questiontextformat": "markdown", "generalfeedback": self.general_feedback,
                "defaultmark": self.points, **self.kind.record(self.key)}


@dataclass
class ParsedQuiz:
    """A whole quiz file; `problems` is a list of (line, message)."""

    settings: dict = field(default_factory=dict)
    questions: list = field(default_factory=list)
    problems: list = field(default_factory=list)


def parse_quiz(text):
    """Parse quiz Markdown (front matter included); never raises."""
    quiz = ParsedQuiz()
    report = lambda line, message: quiz.problems.append((line, message))  # noqa: E731
    front = frontmatter.parse(text)
    if front.error or not front.present:
        report(front.error[0] if front.error else 1,
               _l("a quiz must begin with front matter between two '---' lines, with at least a title"))
        return quiz
    check_keys(front, QUIZ_KEYS, ("title",), report)
    quiz.settings = _settings(front, report)
    preamble, raw_questions = split_questions(front.body, front.body_line)
    for line, _text in preamble[:1]:
        report(line, _l("text before the first question: every question starts with '## '"))
    for raw in raw_questions:
        question = _question(raw, report)
        if question is not None:
            quiz.questions.append(question)
    scored = [q for q in quiz.questions if q.kind.scored]
    if not scored:
        report(front.body_line, _l("the quiz has no questions: each question starts with '## '"))
    draw = quiz.settings.get("draw")
    if draw and draw > len(scored):
        report(front.key_lines.get("draw", 1),
               _l("draw asks for %(n)d questions but the quiz has %(have)d", n=draw, have=len(scored)))
    return quiz


def _settings(front, report):
    data, line = front.data, front.key_lines.get
    settings = {"title": str(data.get("title") or "").strip(), "pass_mark": 80, "attempts": 0,
                "time_limit": None, "shuffle": False, "draw": None, "review": "full"}
    rules = [
        ("pass_mark", lambda v: _number(v) and 0 <= v <= 100, _l("pass_mark is a percentage from 0 to 100")),
        ("attempts", lambda v: _whole(v) and 0 <= v <= 100, _l("attempts is a whole number; 0 means unlimited")),
        ("time_limit", lambda v: _whole(v) and 1 <= v <= 600, _l("time_limit is a number of minutes from 1 to 600")),
        ("shuffle", lambda v: isinstance(v, bool), _l("shuffle is true or false")),
        ("draw", lambda v: _whole(v) and v >= 1, _l("draw is the number of questions to ask, 1 or more")),
        ("review", lambda v: v in REVIEW_LEVELS, _l("review is full, answers or score")),
    ]
    for key, valid, message in rules:
        if key in data and data[key] is not None:
            if valid(data[key]):
                settings[key] = data[key]
            else:
                report(line(key, 1), message)
    return settings


def _number(value):
    return isinstance(value, int | float) and not isinstance(value, bool)


def _whole(value):
    return isinstance(value, int) and not isinstance(value, bool)


def _question(raw, report):
    options = [token for token in re.split(r"[\s,]+", raw.options.strip()) if token]
    types = [token for token in options if registry.get(token)]
    points = None
    for token in options:
        match = POINTS.match(token)
        if match:
            points = float(match["value"])
        elif not registry.get(token) and token not in FLAGS:
            report(raw.line, _l("unknown question option '%(option)s'; use a type such as {multiple}, "
                                "{points=2} or {case-sensitive}", option=token))
    if len(types) > 1:
        report(raw.line, _l("a question has one type; this one says %(types)s", types=", ".join(types)))
    if not raw.text.strip():
        report(raw.line, _l("the question has no text after '## '"))
    for line, _text in raw.stray[:1]:
        report(line, _l("this line is neither part of an answer nor feedback: indent feedback with four spaces "
                        "and start it with '> '"))
    kind = registry.get(types[0] if types else "single")
    key = kind.parse(raw, report)
    if key is None:
        return None
    if not kind.scored:
        points = 0.0  # a description never counts, whatever it says
    elif points is None:
        points = 1.0
    elif points <= 0 or points > 100:
        report(raw.line, _l("points must be more than 0 and at most 100"))
    return Question(raw.line, types[0] if types else "single", raw.text.strip(), raw.body_text, points, key,
                    raw.general_feedback)
