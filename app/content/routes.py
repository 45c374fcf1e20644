"""The catalogue and course assets (course and lesson pages belong to learning)."""

from urllib.parse import quote

from flask import Response, abort, render_template, request

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

