"""The skills check format: DigComp areas (`##`) and competences (`###`) with statements to rate.

`parse_body` reads the Markdown after the front matter and `parse_scale` the scale settings; both
return what they understood and a list of (line, message) problems, never raising.
"""

import re
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l

from app.content.settings_checks import SLUG
from app.skills import digcomp

AREA_HEADING = re.compile(r"^##\s+(?P<id>\S+)(?:\s+(?P<name>.*\S))?\s*$")
COMPETENCE_HEADING = re.compile(r"^###\s+(?P<id>\S+)(?:\s+(?P<name>.*\S))?\s*$")
STATEMENT = re.compile(r"^[-*]\s+(?P<text>.*\S)\s*$")
COURSES = re.compile(r"^(?:Courses|Курсове)\s*:\s*(?P<slugs>.*?)\s*$", re.IGNORECASE)
MAX_STATEMENTS = 200
MAX_STATEMENT_LENGTH = 300
MAX_LABEL_LENGTH = 120
SCALE_SIZES = range(2, 8)

# The default scale, in the check's language (content, not interface: it follows the check).
DEFAULT_SCALE = {
    "en": [
        ("I have never done this", "You have not done this yet, or only watched someone else do it."),
        ("I can do this with help", "You can do it when a colleague or a guide shows you the steps."),
        ("I can do this on my own", "You do it yourself in your daily work, without asking for help."),
        ("I can explain it to colleagues", "You are sure enough to show others how and to answer their questions."),
    ],
    "bg": [
        ("Никога не съм го правил(а)", "Още не сте го правили или само сте гледали как го прави друг."),
        ("Мога с помощ", "Справяте се, когато колега или ръководство ви покаже стъпките."),
        ("Мога сам(а)", "Правите го сами в ежедневната си работа, без да търсите помощ."),
        ("Мога да го обясня на колеги",
         "Достатъчно сигурни сте, за да покажете на други как става и да отговорите на въпросите им."),
    ],
}


@dataclass
class Body:
    """The areas, competences and statements of a check, as stored and shown."""

    intro: str = ""
    areas: list = field(default_factory=list)  # [{"id", "name", "competences": [{"id", "name", "courses", ...}]}]
    course_lines: dict = field(default_factory=dict)  # competence id -> line of its Courses: line

    def competences(self):
        """Every competence, in order."""
        return [comp for area in self.areas for comp in area["competences"]]


def default_scale(language):
    """The four-level default scale in `language` as [{"label", "explanation"}]."""
    return [{"label": label, "explanation": text} for label, text in DEFAULT_SCALE.get(language, DEFAULT_SCALE["en"])]


def parse_scale(data, line_of, language):
    """The scale and target level from front matter values; returns (scale, target, problems)."""
    problems = []
    scale = default_scale(language)
    if "scale" in data:
        scale = _custom_scale(data["scale"], line_of("scale"), problems) or scale
    target = data.get("target", len(scale) - 1)
    if isinstance(target, bool) or not isinstance(target, int) or not 1 <= target <= len(scale):
        problems.append((line_of("target"), _l("the target must be a whole number from 1 to %(n)d, the level "
                                               "people should reach on the scale", n=len(scale))))
        target = len(scale) - 1
    return scale, target, problems


def _custom_scale(value, line, problems):
    if not isinstance(value, list) or len(value) not in SCALE_SIZES:
        problems.append((line, _l("the scale must be a list of 2 to 7 levels, lowest first, one per '- ' line")))
        return None
    levels = []
    for item in value:
        if isinstance(item, dict) and len(item) == 1:
            label, explanation = next(iter(item.items()))
        else:
            label, explanation = item, ""
        if not (isinstance(label, str) and label.strip() and len(label) <= MAX_LABEL_LENGTH
                and isinstance(explanation, str | None)):
            problems.append((line, _l("each level of the scale is a short text, or 'text: explanation'")))
            return None
        levels.append({"label": label.strip(), "explanation": (explanation or "").strip()})
    labels = [level["label"].casefold() for level in levels]
    if len(set(labels)) != len(labels):
        problems.append((line, _l("two levels of the scale have the same text")))
        return None
    return levels


def parse_body(text, first_line, language):
    """The intro, areas, competences and statements of the Markdown body; returns (Body, problems)."""
    state = _BodyState(language)
    for offset, raw in enumerate(text.split("\n")):
        state.read(first_line + offset, raw.rstrip())
    state.finish()
    return state.body, state.problems


class _BodyState:
    """Line-by-line reading of the body, remembering where each thing was first seen."""

    def __init__(self, language):
        self.language = language
        self.body = Body()
        self.problems = []
        self.area = self.competence = None
        self.intro = []
        self.statements = {}  # normalised text -> line
        self.headings = {}  # area/competence id -> line
        self.count = 0

    def report(self, line, message):
        """Note a problem at a line of the file."""
        self.problems.append((line, message))

    def read(self, line, text):
        """Take in one line of the body."""
        if match := COMPETENCE_HEADING.match(text):
            self._competence(line, match["id"], match["name"])
        elif match := AREA_HEADING.match(text):
            self._area(line, match["id"], match["name"])
        elif self.area is None and not text.startswith("#"):
            self.intro.append(text)
        elif not text.strip():
            return
        elif match := STATEMENT.match(text):
            self._statement(line, match["text"])
        elif match := COURSES.match(text):
            self._courses(line, match["slugs"])
        else:
            self.report(line, _l("this line is not part of a skills check: under a competence write statements as "
                                 "'- ...' lines and, if you like, one 'Courses: slug, slug' line"))

    def _area(self, line, area_id, name):
        self.competence = None
        if not digcomp.is_area(area_id):
            self.report(line, _l("'%(id)s' is not a DigComp area: use a number from 1 to 5, e.g. '## 4 Safety'",
                                 id=area_id))
            self.area = {"id": area_id, "competences": [], "line": line, "invalid": True}
            return
        if area_id in self.headings:
            self.report(line, _l("area %(id)s already appears on line %(line)d",
                                 id=area_id, line=self.headings[area_id]))
        self.headings.setdefault(area_id, line)
        self.area = {"id": area_id, "name": name or digcomp.area_name(area_id, self.language),
                     "competences": [], "line": line}
        self.body.areas.append(self.area)

    def _competence(self, line, comp_id, name):
        if self.area is None:
            self.report(line, _l("a competence needs its area above it, e.g. '## 4 Safety' before '### 4.2'"))
            self.area = {"id": "", "competences": [], "line": line, "invalid": True}
        if not digcomp.is_competence(comp_id):
            self.report(line, _l("'%(id)s' is not a DigComp 2.2 competence; they are numbered 1.1 to 5.4, e.g. "
                                 "'### 4.2 Protecting personal data and privacy'", id=comp_id))
        elif not self.area.get("invalid") and digcomp.area_of(comp_id) != self.area["id"]:
            self.report(line, _l("competence %(id)s belongs to area %(area)s, not to area %(here)s",
                                 id=comp_id, area=digcomp.area_of(comp_id), here=self.area["id"]))
        elif comp_id in self.headings:
            self.report(line, _l("competence %(id)s already appears on line %(line)d",
                                 id=comp_id, line=self.headings[comp_id]))
        self.headings.setdefault(comp_id, line)
        self.competence = {"id": comp_id, "name": name or (digcomp.competence_name(comp_id, self.language)
                                                           if digcomp.is_competence(comp_id) else comp_id),
                           "courses": [], "statements": [], "line": line}
        self.area["competences"].append(self.competence)

    def _statement(self, line, text):
        if self.competence is None:
            self.report(line, _l("a statement must stand under a competence heading such as '### 4.2'"))
            return
        if len(text) > MAX_STATEMENT_LENGTH:
            self.report(line, _l("a statement may be at most %(n)d characters", n=MAX_STATEMENT_LENGTH))
        key = " ".join(text.casefold().split())
        if key in self.statements:
            self.report(line, _l("the same statement is already on line %(line)d", line=self.statements[key]))
            return
        self.statements[key] = line
        self.count += 1
        if self.count == MAX_STATEMENTS + 1:
            self.report(line, _l("a skills check may have at most %(n)d statements", n=MAX_STATEMENTS))
        number = len(self.competence["statements"]) + 1
        self.competence["statements"].append({"key": f"{self.competence['id']}-{number}", "text": text})

    def _courses(self, line, value):
        if self.competence is None:
            self.report(line, _l("a 'Courses:' line must stand under a competence heading"))
            return
        if self.competence["courses"]:
            self.report(line, _l("this competence already has a 'Courses:' line"))
            return
        slugs = [slug.strip() for slug in value.split(",") if slug.strip()]
        bad = [slug for slug in slugs if not SLUG.match(slug)]
        if not slugs or bad:
            self.report(line, _l("'Courses:' takes course slugs separated by commas, e.g. "
                                 "'Courses: data-protection, cyber-hygiene'"))
            return
        self.competence["courses"] = slugs
        self.body.course_lines[self.competence["id"]] = line

    def finish(self):
        """After the last line: the intro, and what is missing (areas, competences, statements)."""
        self.body.intro = "\n".join(self.intro).strip()
        if not self.body.areas:
            self.report(1, _l("the skills check has no areas: add a heading such as '## 4 Safety', competences "
                              "such as '### 4.2' under it, and statements under each"))
        for area in self.body.areas:
            if not area["competences"]:
                self.report(area["line"], _l("area %(id)s has no competences: add one such as '### %(id)s.1'",
                                             id=area["id"]))
            for comp in area["competences"]:
                if not comp["statements"]:
                    self.report(comp["line"], _l("competence %(id)s has no statements to rate: add '- ...' lines "
                                                 "under it", id=comp["id"]))
