"""Re-import: an unchanged package is recognised by its files' hash before it is parsed again."""

import pytest
from flask_babel import force_locale

from app.content import importer
from app.content.models import Course, CourseVersion
from app.content.package import read_folder
from app.content.problems import ValidationFailed
from app.extensions import db
from tests.content import packages
from tests.helpers import count_queries

FRONT_MATTER_SLUG = packages.COURSE_MD.replace("title: Cyber hygiene", "title: Cyber hygiene\nslug: safe-at-work")


def _count(model):
    return db.session.scalar(db.select(db.func.count()).select_from(model))


def _messages(failed):
    with force_locale("en"):
        return [str(problem) for problem in failed.value.problems]


def _import(folders):
    results = importer.import_packages([read_folder(folder) for folder in folders])
    db.session.commit()
    return results


def _catalogue(root, size, first=0):
    return [packages.write_folder(root, f"course-{number}") for number in range(first, first + size)]


def _reimport_queries(app, folders):
    with count_queries(app.extensions["sqlalchemy"].engine) as counter:
        results = _import(folders)
    assert {result.status for result in results} == {"unchanged"}
    return counter.count


def test_reimporting_an_unchanged_catalogue_costs_the_same_queries_however_large(app, tmp_path):
    """A nightly re-import of all courses stays cheap: unchanged packages are matched in one look-up."""
    small, large = _catalogue(tmp_path, 2), _catalogue(tmp_path, 6, first=2)
    _import(small + large)
    assert _reimport_queries(app, small) == _reimport_queries(app, small + large) <= 3


def test_changed_and_unchanged_packages_together_keep_their_order(app, tmp_path):
    """Each package gets its own result, in the order given; only the changed one gets a new version."""
    first, second, third = _catalogue(tmp_path / "v1", 3)
    _import([first, second, third])
    changed = packages.write_folder(tmp_path / "v2", "course-1", packages.files(
        **{"02-phishing_dot_md": packages.LESSON_2 + "\nOne more line.\n"}))
    results = _import([first, changed, third])
    assert [(r.slug, r.status, r.version) for r in results] == [
        ("course-0", "unchanged", 1), ("course-1", "new version", 2), ("course-2", "unchanged", 1)]
    assert _count(CourseVersion) == 4


def test_unchanged_draft_is_reported_as_not_published(app, tmp_path):
    """Re-importing an unchanged draft says it is still a draft, as the full import did."""
    folder = packages.write_folder(tmp_path)
    importer.import_packages([read_folder(folder)], draft=True)
    db.session.commit()
    [result] = _import([folder])
    assert (result.status, result.version, result.published) == ("unchanged", 1, False)


def test_a_slug_from_the_front_matter_is_still_recognised_as_unchanged(app, tmp_path):
    """A package whose course.md names its slug is unchanged whatever its folder is called."""
    folder = packages.write_folder(tmp_path, "any-folder-name", packages.files(course_dot_md=FRONT_MATTER_SLUG))
    [created] = _import([folder])
    [again] = _import([folder])
    assert (created.slug, again.slug, again.status) == ("safe-at-work", "safe-at-work", "unchanged")


def test_a_package_claiming_the_slug_of_an_unchanged_one_is_refused(app, tmp_path):
    """Two packages for one course in a batch are reported, even when one of them is unchanged."""
    unchanged = packages.write_folder(tmp_path / "a", "safe-at-work")
    _import([unchanged])
    rival = packages.write_folder(tmp_path / "b", "rival", packages.files(
        course_dot_md=FRONT_MATTER_SLUG + "\nChanged.\n"))
    with pytest.raises(ValidationFailed) as failed:
        importer.import_packages([read_folder(unchanged), read_folder(rival)])
    db.session.rollback()
    assert [message for message in _messages(failed) if "two packages have the slug 'safe-at-work'" in message]
    assert _count(CourseVersion) == 1


def test_an_unchanged_package_with_a_stray_file_is_validated_and_refused(app, tmp_path):
    """A file that is not part of the format makes the package different, so it is checked and refused."""
    _import([packages.write_folder(tmp_path / "a")])
    stray = packages.write_folder(tmp_path / "b", contents=packages.files(notes_dot_txt="draft notes"))
    with pytest.raises(ValidationFailed) as failed:
        importer.import_packages([read_folder(stray)])
    db.session.rollback()
    assert [message for message in _messages(failed) if message.startswith("cyber-hygiene/notes.txt:1:")]


def test_the_hash_of_the_files_is_the_hash_stored_at_import(app, tmp_path):
    """The quick check and the full import agree, also for CRLF line endings and a BOM."""
    contents = packages.files()
    contents["01-passwords.md"] = "\ufeff" + packages.LESSON_1.replace("\n", "\r\n")
    package = read_folder(packages.write_folder(tmp_path, contents=contents))
    _import([tmp_path / "cyber-hygiene"])
    stored = db.session.scalar(db.select(Course)).current_version.content_hash
    assert importer.package_hash(package) == stored


def test_a_lesson_that_is_not_utf8_is_never_taken_for_unchanged(app, tmp_path):
    """Bytes that are not UTF-8 give no hash, so the validator reports the file as usual."""
    _import([packages.write_folder(tmp_path / "a")])
    broken = packages.write_folder(tmp_path / "b", contents=packages.files(
        **{"01-passwords_dot_md": packages.LESSON_1.encode("utf-8") + b"\xff\xfe"}))
    assert importer.package_hash(read_folder(broken)) is None
    with pytest.raises(ValidationFailed) as failed:
        importer.import_packages([read_folder(broken)])
    db.session.rollback()
    assert "cyber-hygiene/01-passwords.md:1: the file is not UTF-8 text; save it as UTF-8" in _messages(failed)
