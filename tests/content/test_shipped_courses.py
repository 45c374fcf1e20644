"""The courses shipped in courses/ are complete, valid and bilingual."""

from pathlib import Path

from app.content import importer, validator
from app.content.package import find_packages, read_package
from app.extensions import db

COURSES = Path(__file__).resolve().parents[2] / "courses"


def _parsed(kind="course"):
    """The shipped packages of one kind (courses/ also holds skills checks, tested in tests/skills)."""
    parsed = validator.validate_packages([read_package(path) for path in find_packages(COURSES)])
    return [p for p in parsed if kind is None or p.kind == kind]


def test_shipped_courses_validate(bare_app):
    """`flask courses validate courses/` passes."""
    assert [str(p) for p in validator.all_problems(_parsed(kind=None))] == []


def test_each_course_exists_in_english_and_bulgarian(bare_app):
    """Three courses, each in both languages, linked with translation_of, with 4+ lessons and a quiz."""
    parsed = {p.slug: p for p in _parsed()}
    bulgarian = [p for p in parsed.values() if p.course.data["language"] == "bg"]
    english = [p for p in parsed.values() if p.course.data["language"] == "en"]
    assert len(english) >= 3 and len(bulgarian) >= 3
    for course in bulgarian:
        original = parsed[course.course.data["translation_of"]]
        assert original.course.data["language"] == "en"
        assert [i.slug for i in course.items] == [i.slug for i in original.items]
    for course in parsed.values():
        assert sum(item.kind == "lesson" for item in course.items) >= 4
        assert sum(item.kind == "quiz" for item in course.items) >= 1


def test_shipped_courses_import(app):
    """The demo courses import in one go and appear in the catalogue."""
    results = importer.import_packages([read_package(path) for path in find_packages(COURSES)])
    db.session.commit()
    assert {r.status for r in results} == {"created"} and len(results) >= 6
