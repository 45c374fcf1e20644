"""The DigComp 2.2 framework: its five areas and 21 competences, with English and Bulgarian names."""

import json
import re
from functools import cache
from pathlib import Path

DATA = Path(__file__).with_name("digcomp.json")
TAG_ID = re.compile(r"^\s*(\d\.\d)(?:\s|$)")


@cache
def _framework():
    data = json.loads(DATA.read_text(encoding="utf-8"))
    areas = {area["id"]: area for area in data["areas"]}
    competences = {comp["id"]: {**comp, "area": area["id"]} for area in data["areas"] for comp in area["competences"]}
    return areas, competences


def area_ids():
    """The five area numbers, in order."""
    return list(_framework()[0])


def competence_ids():
    """The 21 competence numbers such as '4.2', in order."""
    return list(_framework()[1])


def is_area(area_id):
    """Whether `area_id` is one of the five DigComp areas."""
    return area_id in _framework()[0]


def is_competence(competence_id):
    """Whether `competence_id` is one of the 21 DigComp 2.2 competences."""
    return competence_id in _framework()[1]


def area_of(competence_id):
    """The area number of a competence ('4' for '4.2')."""
    return _framework()[1][competence_id]["area"]


def area_name(area_id, language):
    """An area's name in `language` (English when the language is unknown)."""
    names = _framework()[0][area_id]["name"]
    return names.get(language, names["en"])


def competence_name(competence_id, language):
    """A competence's name in `language` (English when the language is unknown)."""
    names = _framework()[1][competence_id]["name"]
    return names.get(language, names["en"])


def competence_of_tag(tag):
    """The competence number a course tag starts with ('4.2 Protecting …' gives '4.2'), or None."""
    match = TAG_ID.match(str(tag))
    return match.group(1) if match and is_competence(match.group(1)) else None
