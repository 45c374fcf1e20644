"""Courses that build the competences a learner rated below target, in the learner's language.

A competence's courses are the slugs on its `Courses:` line, or else every published course whose
`competences` in course.md start with the competence's number. Each course is offered once, in the
learner's language when a translation is published.
"""

from dataclasses import dataclass

from app.content.services import published_courses
from app.extensions import db
from app.learning.models import Enrolment
from app.skills import digcomp


@dataclass(frozen=True)
class Recommendation:
    """A course to take, the competences it builds, and whether the learner is already on it."""

    course: object
    competences: tuple
    enrolled: bool = False


def _family(course):
    return course.current_version.translation_of or course.slug


def recommend(check, gaps, language, user=None):
    """Courses for the competence ids in `gaps` (most urgent first); two queries whatever the number."""
    if not gaps:
        return []
    courses = published_courses()
    by_slug = {course.slug: course for course in courses}
    families = {}
    for course in courses:
        families.setdefault(_family(course), []).append(course)
    chosen = {}  # family -> [course, competence ids]
    explicit = {comp["id"]: comp["courses"] for comp in check.competences()}
    for comp_id in gaps:
        if explicit.get(comp_id):
            candidates = [by_slug[slug] for slug in explicit[comp_id] if slug in by_slug]
        else:
            candidates = [course for course in courses
                          if comp_id in {digcomp.competence_of_tag(tag) for tag in course.current_version.competences}]
        for course in candidates:
            family = _family(course)
            entry = chosen.setdefault(family, [_in_language(families[family], language, course), []])
            if comp_id not in entry[1]:
                entry[1].append(comp_id)
    enrolled = _enrolled_course_ids(user, [course for course, _ids in chosen.values()])
    return [Recommendation(course, tuple(ids), course.id in enrolled) for course, ids in chosen.values()]


def _in_language(versions, language, fallback):
    return next((course for course in versions if course.current_version.language == language), fallback)


def _enrolled_course_ids(user, courses):
    if user is None or not user.is_authenticated or not courses:
        return set()
    return set(db.session.scalars(db.select(Enrolment.course_id).where(
        Enrolment.user_id == user.id, Enrolment.state == "active",
        Enrolment.course_id.in_([course.id for course in courses]))))
