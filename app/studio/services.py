"""Studio rules: which courses a trainer may change, uploads, in-browser edits and publishing."""

import re
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import selectinload

from app import audit
from app.accounts.models import User, find_user_by_email
from app.content import exporter, importer, validator
from app.content.models import Course, CourseEditor, CourseVersion
from app.content.package import Package, read_zip
from app.content.rendering import render_markdown
from app.content.services import can_edit
from app.extensions import db


class StudioError(Exception):
    """A request the studio refuses; the message is shown to the trainer."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


@dataclass
class CourseRow:
    """A line of the studio's course list."""

    course: Course
    latest: CourseVersion
    version_count: int

    @property
    def has_draft(self):
        return self.latest.id != self.course.current_version_id


def editable_courses(user):
    """The courses this user may change, with their newest version, in two queries."""
    query = db.select(Course).options(selectinload(Course.editors)).order_by(Course.slug)
    if not user.has_role("staff"):
        query = query.where(Course.editors.any(user_id=user.id))
    courses = db.session.scalars(query).unique().all()
    if not courses:
        return []
    versions = db.session.scalars(
        db.select(CourseVersion).where(CourseVersion.course_id.in_([c.id for c in courses]))
        .order_by(CourseVersion.number)
    ).all()
    latest, counts = {}, {}
    for version in versions:
        latest[version.course_id] = version
        counts[version.course_id] = counts.get(version.course_id, 0) + 1
    return [CourseRow(c, latest[c.id], counts[c.id]) for c in courses if c.id in latest]


def course_for_editing(slug, user):
    """The course if this user may change it; None otherwise (the caller answers 404)."""
    course = db.session.scalar(db.select(Course).where(Course.slug == slug).options(selectinload(Course.editors)))
    if course is None or not can_edit(user, course):
        return None
    return course


def course_of_problems(problems, user):
    """The existing course a failed upload was for, if this user may edit it (its problems then link
    into the browser editor, where they can be fixed)."""
    slug = problems[0].path.split("/", 1)[0] if problems else ""
    return course_for_editing(slug, user) if slug else None


def versions_of(course):
    """Every version of a course, newest first."""
    return db.session.scalars(
        db.select(CourseVersion).where(CourseVersion.course_id == course.id).order_by(CourseVersion.number.desc())
    ).all()


def version_of(course, number):
    """One version by number, or None."""
    return db.session.scalar(
        db.select(CourseVersion).where(CourseVersion.course_id == course.id, CourseVersion.number == number)
    )


def upload(user, filename, data):
    """Import an uploaded .zip as a draft; raises PackageError, ValidationFailed or StudioError."""
    package = read_zip(data, filename)
    parsed = validator.validate_packages([package], importer.known_course_slugs())
    slug = parsed[0].slug
    if parsed[0].kind != "course":
        # The studio edits courses; other kinds (skills checks) are imported by hub staff on the command line.
        raise StudioError(_l("This package is not a course (its type is '%(type)s'). Ask the hub staff to "
                             "import it with 'flask courses import'.", type=parsed[0].kind))
    existing = db.session.scalar(db.select(Course).where(Course.slug == slug).options(selectinload(Course.editors)))
    if existing is not None and not can_edit(user, existing):
        raise StudioError(_l("A course with the slug '%(slug)s' exists and belongs to other trainers. "
                             "Change the slug or ask its owner to add you.", slug=slug))
    [result] = importer.import_packages([package], draft=True, user=user)
    return result


def edited_package(course, version, filename, text):
    """The package of `version` with one file's text replaced."""
    files = exporter.package_files(version)
    if filename not in files or filename.startswith("assets/"):
        raise StudioError(_l("This file cannot be edited here."))
    files[filename] = text.replace("\r\n", "\n").encode("utf-8")
    return Package(name=course.slug, origin=course.slug, files=files)


def preview(course, version, filename, text):
    """Validate the package with the edit and render the edited file; returns (problems, html)."""
    package = edited_package(course, version, filename, text)
    parsed = validator.validate_packages([package], importer.known_course_slugs())
    problems = validator.all_problems(parsed)
    html = ""
    item = next((i for i in parsed[0].items if i.filename == filename), None)
    body = item.front.body if item else (parsed[0].course.body if parsed[0].course else text)
    if not filename.endswith(".quiz.md"):
        hashes = {asset.path: asset.sha256 for asset in version.assets}
        html, _toc = render_markdown(body, importer.VersionLinks(course.slug, parsed[0].items, hashes))
    return problems, html


def save_edit(user, course, version, filename, text):
    """Store the edit as a new draft version; raises ValidationFailed if the package breaks."""
    package = edited_package(course, version, filename, text)
    [result] = importer.import_packages([package], draft=True, user=user)
    return result


def import_question_bank(user, course, version, filename, data, title):
    """Add a Moodle GIFT or Aiken file to the course as a new quiz (a new draft version)."""
    from app.quizzes import interchange
    from app.quizzes.markdown_writer import write_quiz_md

    stem = re.sub(r"[^a-z0-9]+", "-", filename.rsplit("/", 1)[-1].lower().split(".")[0]).strip("-")[:60] or "quiz"
    try:
        records = interchange.read_bank(filename, data)
    except interchange.BankError as error:
        raise StudioError(str(error)) from None
    files = exporter.package_files(version)
    number = max((item.position for item in version.items), default=0) + 1
    if number > 99:
        raise StudioError(_l("The course already has 99 lessons and quizzes."))
    files[f"{number:02d}-{stem}.quiz.md"] = write_quiz_md(records, title or stem).encode("utf-8")
    package = Package(name=course.slug, origin=course.slug, files=files)
    [result] = importer.import_packages([package], draft=True, user=user)
    return result


def publish(course, number, by=None):
    """Publish one version of a course."""
    version = version_of(course, number)
    if version is None:
        raise StudioError(_l("This version does not exist."))
    importer.publish_version(version)
    audit.record("course.published", actor=by, target=course, version=number)
    return version


def editors_of(course):
    """The trainers who may change a course, by name."""
    ids = [editor.user_id for editor in course.editors]
    return db.session.scalars(db.select(User).where(User.id.in_(ids)).order_by(User.full_name)).all() if ids else []


def add_editor(course, email):
    """Let another trainer change this course."""
    user = find_user_by_email(email)
    if user is None or user.role != "trainer":
        raise StudioError(_l("No trainer has the e-mail address %(email)s.", email=email))
    if any(editor.user_id == user.id for editor in course.editors):
        raise StudioError(_l("%(name)s can already edit this course.", name=user.full_name))
    course.editors.append(CourseEditor(user_id=user.id))
    db.session.flush()
    return user


def remove_editor(course, user_id):
    """Stop a trainer from changing this course; the last one cannot be removed."""
    editor = next((e for e in course.editors if e.user_id == user_id), None)
    if editor is None:
        raise StudioError(_l("This person is not a co-author of the course."))
    if len(course.editors) == 1:
        raise StudioError(_l("A course needs at least one trainer. Add another before removing this one."))
    course.editors.remove(editor)
    db.session.flush()


def unpublish(course, by=None):
    """Hide a course from the catalogue; learners keep their history."""
    course.published = False
    audit.record("course.unpublished", actor=by, target=course)
    db.session.flush()
