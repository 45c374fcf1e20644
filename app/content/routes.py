"""Catalogue, course and lesson pages, and course assets."""

from urllib.parse import quote

from flask import Response, abort, current_app, render_template, request
from flask_login import current_user

from app.content import bp, services
from app.content.models import Asset, AssetBlob
from app.extensions import db

ASSET_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; sandbox"
INLINE_TYPES = {"image/png", "image/jpeg", "image/gif", "image/webp", "image/svg+xml", "application/pdf",
                "audio/mpeg", "video/mp4", "video/webm", "text/vtt"}


@bp.route("/")
def catalogue():
    """Find a course: filters and search as a plain GET form."""
    filters = services.CatalogueFilters(
        language=request.args.get("language", "")[:5], level=request.args.get("level", "")[:20],
        competence=request.args.get("competence", "")[:200], query=request.args.get("q", "")[:200],
    )
    courses, options = services.catalogue(filters)
    return render_template("content/catalogue.html", courses=courses, options=options, filters=filters)


@bp.route("/courses/<slug>")
def course(slug):
    """Who the course is for, what it teaches, its lessons and how to earn the certificate."""
    course, version = services.viewable_course(slug, current_user)
    if course is None:
        abort(404)
    return render_template(
        "content/course.html", course=course, version=version, items=services.outline(version),
        translations=services.translations(course, version),
        prerequisites=services.courses_by_slug(version.prerequisites),
        preview=not (course.published and version.id == course.current_version_id),
    )


@bp.route("/courses/<slug>/<lesson>")
def lesson(slug, lesson):
    """A lesson, with its place in the course and previous / next."""
    course, version = services.viewable_course(slug, current_user)
    if course is None:
        abort(404)
    if version.access == "registered" and not current_user.is_authenticated:
        return current_app.login_manager.unauthorized()
    item = services.lesson(version, lesson)
    if item is None:
        abort(404)
    items = services.outline(version)
    index = next(i for i, row in enumerate(items) if row.id == item.id)
    lessons = [row for row in items if row.kind == "lesson"]
    return render_template(
        "content/lesson.html", course=course, version=version, item=item, items=items,
        previous=items[index - 1] if index > 0 else None,
        next=items[index + 1] if index + 1 < len(items) else None,
        lesson_number=next(i for i, row in enumerate(lessons, 1) if row.id == item.id), lesson_count=len(lessons),
    )


@bp.route("/assets/<digest>/<filename>")
def asset(digest, filename):
    """An image or download of a course, addressed by content hash: cached for a year."""
    row = db.session.execute(
        db.select(Asset.media_type, AssetBlob.data).join(AssetBlob, Asset.sha256 == AssetBlob.sha256)
        .where(Asset.sha256 == digest[:64]).limit(1)
    ).first()
    if row is None:
        abort(404)
    response = Response(row.data, mimetype=row.media_type)
    response.headers["Content-Security-Policy"] = ASSET_CSP
    disposition = "inline" if row.media_type in INLINE_TYPES else "attachment"
    response.headers["Content-Disposition"] = f"{disposition}; filename*=UTF-8''{quote(filename, safe='')}"
    response.cache_control.public = True
    response.cache_control.max_age = 31536000
    response.cache_control.immutable = True
    return response

