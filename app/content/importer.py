"""Importing validated packages: one transaction, idempotent, a new version per change."""

import hashlib
from dataclasses import dataclass
from pathlib import PurePosixPath

from app.content import kinds, validator
from app.content.models import Asset, AssetBlob, Course, CourseEditor, CourseItem, CourseVersion
from app.content.problems import ValidationFailed
from app.content.rendering import LinkResolver, render_markdown
from app.content.signals import version_created, version_published
from app.extensions import db
from app.links import site_path
from app.timeutil import utcnow


@dataclass
class ImportResult:
    """What happened to one package: 'created', 'new version' or 'unchanged'."""

    slug: str
    status: str
    version: int
    published: bool


class VersionLinks(LinkResolver):
    """Links inside one version: lessons and quizzes by slug, assets by content hash."""

    def __init__(self, course_slug, items, asset_hashes):
        self.course_slug = course_slug
        self.items = {item.filename: item for item in items}
        self.asset_hashes = asset_hashes

    def item_url(self, filename, fragment):
        item = self.items.get(filename)
        if item is None:
            return "#"
        # The design's address scheme; the pages themselves live in the learning and quiz packages.
        kind = "quiz/" if item.kind == "quiz" else ""
        return f"/courses/{self.course_slug}/{kind}{item.slug}" + (fragment or "")

    def asset_url(self, path):
        digest = self.asset_hashes.get(path)
        if digest is None:
            return "#"
        return site_path("content.asset", digest=digest, filename=PurePosixPath(path).name)


def known_course_slugs():
    """Slugs of every course in the database (for prerequisites and translations)."""
    return set(db.session.scalars(db.select(Course.slug)))


def content_hash(parsed):
    """A digest of the package's normalised files: equal packages give equal hashes."""
    entries = [("course.md", parsed.course_text.encode())]
    entries += [(item.filename, item.text.encode()) for item in parsed.items]
    entries += [(path, data) for path, (data, _type) in parsed.assets.items()]
    return _digest(entries)


def package_hash(package):
    """content_hash of a package read from its files, before any parsing; None if a text is not UTF-8.

    For a valid package (only course.md, NN-slug.md files and assets/) it equals content_hash of the
    parsed package, so an unchanged package is recognised without parsing or rendering anything.
    """
    entries = []
    for path, data in package.files.items():
        if "/" not in path and path.endswith(".md"):
            try:
                data = validator.normalise_text(data).encode()
            except UnicodeDecodeError:
                return None
        entries.append((path, data))
    return _digest(entries)


def _digest(entries):
    digest = hashlib.sha256()
    for path, data in sorted(entries):
        digest.update(path.encode() + b"\0" + hashlib.sha256(data).digest())
    return digest.hexdigest()


def import_packages(packages, draft=False, user=None):
    """Validate all packages, then import them; raises ValidationFailed and writes nothing on any problem.

    A package whose files are exactly those of its course's latest version is reported "unchanged"
    without being parsed again: re-importing a whole unchanged catalogue costs a hash per package.
    """
    unchanged = _unchanged(packages)
    rest = [package for index, package in enumerate(packages) if index not in unchanged]
    known = (known_course_slugs(), kinds.known_all())
    parsed_packages = validator.validate_packages(rest, *known)
    if {parsed.slug for parsed in parsed_packages} & {result.slug for result in unchanged.values()}:
        # Another package claims the slug of an unchanged one: validate all together, which reports it.
        unchanged, parsed_packages = {}, validator.validate_packages(packages, *known)
    problems = validator.all_problems(parsed_packages)
    if problems:
        raise ValidationFailed(problems)
    imported = iter([_import_one(parsed, draft, user) if parsed.kind == kinds.COURSE
                     else kinds.kind(parsed.kind).import_one(parsed, draft, user) for parsed in parsed_packages])
    db.session.flush()
    return [unchanged[index] if index in unchanged else next(imported) for index in range(len(packages))]


def _unchanged(packages):
    """{index: "unchanged" result} for packages equal to the latest version of the course of their name.

    Only the folder (or archive) name is matched: a package whose slug comes from its front matter
    and differs from its name takes the full path, which finds it unchanged after parsing.
    """
    names = [package.name for package in packages]
    if len(set(names)) != len(names):
        return {}  # two packages with one name: the validator must report it
    latest = {row.slug: row for row in _latest_versions(names)}
    results = {}
    for index, package in enumerate(packages):
        row = latest.get(package.name)
        if row is not None and row.content_hash == package_hash(package):
            results[index] = ImportResult(package.name, "unchanged", row.number, row.current_version_id == row.id)
    return results


def _latest_versions(slugs):
    """Rows (slug, current_version_id, id, number, content_hash) of each course's newest version, in one query."""
    newest = (db.select(CourseVersion.course_id, db.func.max(CourseVersion.number).label("number"))
              .group_by(CourseVersion.course_id).subquery())
    return db.session.execute(
        db.select(Course.slug, Course.current_version_id, CourseVersion.id, CourseVersion.number,
                  CourseVersion.content_hash)
        .join(CourseVersion, CourseVersion.course_id == Course.id)
        .join(newest, (newest.c.course_id == CourseVersion.course_id) & (newest.c.number == CourseVersion.number))
        .where(Course.slug.in_(slugs))
    ).all()


def _import_one(parsed, draft, user):
    data = parsed.course.data
    digest = content_hash(parsed)
    course = db.session.scalar(db.select(Course).where(Course.slug == parsed.slug))
    latest = _latest_version(course) if course else None
    if latest is not None and latest.content_hash == digest:
        return ImportResult(parsed.slug, "unchanged", latest.number, course.current_version_id == latest.id)
    if course is None:
        course = Course(slug=parsed.slug, language=data["language"], published=False)
        db.session.add(course)
        db.session.flush()
    if user is not None and user.role == "trainer" and user.id not in {e.user_id for e in course.editors}:
        course.editors.append(CourseEditor(user_id=user.id))
    version = _build_version(course, parsed, digest, (latest.number + 1) if latest else 1, user)
    version_created.send(version, version=version, parsed=parsed)
    if not draft:
        publish_version(version)
    return ImportResult(parsed.slug, "created" if version.number == 1 else "new version", version.number, not draft)


def publish_version(version):
    """Make `version` the one learners get, and list the course in the catalogue."""
    course = version.course
    version.published_at = version.published_at or utcnow()
    course.current_version = version
    course.language = version.language
    course.published = True
    db.session.flush()
    version_published.send(version, version=version)


def _latest_version(course):
    return db.session.scalar(
        db.select(CourseVersion).where(CourseVersion.course_id == course.id).order_by(CourseVersion.number.desc())
    )


def _search_text(data):
    """Case-folded in Python, because SQLite's LIKE ignores case only for ASCII, not Cyrillic."""
    parts = [str(data.get("title", "")), str(data.get("summary", "")), *map(str, data.get("competences") or [])]
    return " ".join(parts).casefold()


def _store_assets(parsed):
    hashes = {}
    for path, (data, _media_type) in parsed.assets.items():
        digest = hashlib.sha256(data).hexdigest()
        if db.session.get(AssetBlob, digest) is None:
            db.session.add(AssetBlob(sha256=digest, data=data, size=len(data)))
        hashes[path] = digest
    return hashes


def _build_version(course, parsed, digest, number, user):
    data = parsed.course.data
    hashes = _store_assets(parsed)
    links = VersionLinks(course.slug, parsed.items, hashes)
    description_html, _toc = render_markdown(parsed.course.body, links)
    version = CourseVersion(
        course_id=course.id, number=number, content_hash=digest,
        title=data["title"].strip(), language=data["language"], summary=str(data["summary"]).strip(),
        level=data.get("level"),
        hours=float(data["hours"]), access=data.get("access") or "public", license=data.get("license"),
        translation_of=data.get("translation_of"), course_source=parsed.course_text,
        description_html=description_html, search_text=_search_text(data), created_by_id=user.id if user else None,
        settings={key: data[key] for key in ("competences", "prerequisites", "certificate", "authors") if key in data},
    )
    version.course = course
    for item in parsed.items:
        html, toc_html = render_markdown(item.front.body, links) if item.kind == "lesson" else ("", "")
        version.items.append(CourseItem(
            position=item.number, kind=item.kind, slug=item.slug, filename=item.filename, title=item.title,
            minutes=item.front.data.get("minutes"), source=item.text, html=html, toc_html=toc_html,
        ))
    for path, (_data, media_type) in parsed.assets.items():
        version.assets.append(Asset(path=path, sha256=hashes[path], media_type=media_type))
    db.session.add(version)
    db.session.flush()
    return version
