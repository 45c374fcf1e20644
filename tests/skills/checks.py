"""Small skills check packages for tests, and helpers to answer a check."""

import re
from pathlib import Path

from app.content import importer
from app.content.package import Package, find_packages, read_package
from app.extensions import db
from app.skills.models import SkillsCheck

COURSES = Path(__file__).resolve().parents[2] / "courses"

CHECK_MD = """---
type: skills-check
title: Quick check
language: en
summary: Four statements.
---

Answer honestly.

## 1 Information and data literacy

### 1.2 Evaluating data, information and digital content
- I can spot a fake website.
- I check where information comes from.

## 4 Safety

### 4.1
Courses: cyber-hygiene
- I lock my computer.
- I install updates.
"""

CHECK_BG = """---
type: skills-check
title: Бърза проверка
language: bg
translation_of: quick-check
summary: Четири твърдения.
---

## 1

### 1.2
- Разпознавам фалшив сайт.
- Проверявам откъде идва информацията.

## 4

### 4.1
- Заключвам компютъра си.
- Инсталирам обновленията.
"""


def package(text, name="quick-check", extra=None):
    """A skills check package in memory."""
    files = {"course.md": text.encode("utf-8"), **(extra or {})}
    return Package(name=name, origin=name, files=files)


def import_shipped():
    """Import everything in courses/ (the shipped courses and skills checks) and commit."""
    importer.import_packages([read_package(path) for path in find_packages(COURSES)])
    db.session.commit()
    return {check.slug: check for check in db.session.scalars(db.select(SkillsCheck))}


def field_names(html):
    """The rating fields of a skills check page, in page order."""
    return list(dict.fromkeys(re.findall(r'name="(s-[^"]+)"', html)))


def ratings(check, value=2, **overrides):
    """Form data rating every statement of `check` with `value`; overrides by competence id ('4.1': 1)."""
    data = {}
    for comp in check.competences():
        for statement in comp["statements"]:
            data[f"s-{statement['key']}"] = str(overrides.get(comp["id"].replace(".", "_"), value))
    return data
