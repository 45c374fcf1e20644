"""Reading courses for learners: the catalogue, a course page, a lesson and who may see what."""

from dataclasses import dataclass

from flask import current_app

from app.content.models import Course, CourseItem, CourseVersion
from app.extensions import db


@dataclass
class CatalogueFilters:
    """What the visitor asked for; empty values mean "any"."""

    language: str = ""
    level: str = ""
    competence: str = ""
    query: str = ""


def can_edit(user, course):
    """Staff and admins edit every course; trainers the courses they own or co-author."""
    if not user.is_authenticated:
        return False
    if user.has_role("staff"):
        return True
    return user.role == "trainer" and any(editor.user_id == user.id for editor in course.editors)


def published_courses():
    """Every published course with its current version, in one query."""
    return db.session.scalars(
        db.select(Course)
        .join(Course.current_version)
        .where(Course.published.is_(True))
        .order_by(CourseVersion.title)
    ).unique().all()


def catalogue(filters):
    """Published courses matching the filters, and the choices the filters offer."""
    courses = published_courses()
    options = {
        "languages": sorted({c.current_version.language for c in courses}),
        "levels": [lvl for lvl in ("beginner", "intermediate", "advanced")
                   if any(c.current_version.level == lvl for c in courses)],
        "competences": sorted({comp for c in courses for comp in c.current_version.competences}),
    }
    query = filters.query.strip().casefold()
    matching = [
        c for c in courses
        if (not filters.language or c.current_version.language == filters.language)
        and (not filters.level or c.current_version.level == filters.level)
        and (not filters.competence or filters.competence in c.current_version.competences)
        and (not query or all(word in c.current_version.search_text for word in query.split()))
    ]
    return matching, options


def viewable_course(slug, user):
    """The course and the version this user sees, or (None, None).

    Learners and visitors see published courses only; editors and staff also see
    unpublished ones, at their newest version.
    """
    # Editors load only when an unpublished course needs the check: published pages skip that query.
    course = db.session.scalar(db.select(Course).where(Course.slug == slug))
    if course is None:
        return None, None
    if course.published and course.current_version is not None:
        return course, course.current_version
    if can_edit(user, course):
        return course, latest_version(course)
    return None, None


def latest_version(course):
    """The newest version of a course, published or draft."""
    return db.session.scalar(
        db.select(CourseVersion).where(CourseVersion.course_id == course.id).order_by(CourseVersion.number.desc())
    )


OUTLINE_CACHE_SIZE = 1024


def outlines(versions):
    """{version id: its items (lessons and quizzes) in order, without their large text columns}.

    A version's items never change after import, so each process keeps them (per app, keyed by the
    version and its content hash): the pages that show a course's outline or progress ask the database
    only for versions it has not seen, all in one query.
    """
    cache = current_app.extensions.setdefault("academy_outlines", {})
    result, missing = {}, {}
    for version in versions:
        rows = cache.get((version.id, version.content_hash))
        if rows is None:
            missing[version.id] = version
        else:
            result[version.id] = rows
    if missing:
        rows = db.session.execute(
            db.select(CourseItem.version_id, CourseItem.id, CourseItem.slug, CourseItem.kind, CourseItem.title,
                      CourseItem.minutes, CourseItem.position)
            .where(CourseItem.version_id.in_(missing)).order_by(CourseItem.version_id, CourseItem.position)
        ).all()
        if len(cache) + len(missing) > OUTLINE_CACHE_SIZE:
            cache.clear()
        for version_id, version in missing.items():
            result[version_id] = cache[(version_id, version.content_hash)] = tuple(
                row for row in rows if row.version_id == version_id)
    return result


def outline(version):
    """The items of one version in order (see `outlines`)."""
    return list(outlines([version])[version.id])


def lesson(version, slug):
    """The lesson of this version with this slug, or None."""
    return db.session.scalar(
        db.select(CourseItem).where(CourseItem.version_id == version.id, CourseItem.slug == slug,
                                    CourseItem.kind == "lesson")
    )


def translations(course, version):
    """Other-language courses linked with translation_of, in either direction."""
    slugs = {version.translation_of} if version.translation_of else set()
    linked = db.session.scalars(
        db.select(Course).join(Course.current_version)
        .where(Course.published.is_(True))
        .where((CourseVersion.translation_of == course.slug) | Course.slug.in_(slugs))
        .where(Course.id != course.id)
    ).unique().all()
    return linked


def courses_by_slug(slugs):
    """Published courses for a list of slugs (prerequisites), keeping the given order."""
    if not slugs:
        return []
    found = {c.slug: c for c in db.session.scalars(db.select(Course).where(Course.slug.in_(slugs))).unique()}
    return [found[slug] for slug in slugs if slug in found]

