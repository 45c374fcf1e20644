"""Import: validate first, one transaction, idempotent, a new version per change, round trip."""

import pytest

from app.content import exporter, importer
from app.content.models import AssetBlob, Course, CourseItem, CourseVersion
from app.content.package import read_folder, read_zip
from app.content.problems import ValidationFailed
from app.extensions import db
from tests.content import packages


def _count(model):
    return db.session.scalar(db.select(db.func.count()).select_from(model))


def _import(folder, **kwargs):
    results = importer.import_packages([read_folder(folder)], **kwargs)
    db.session.commit()
    return results


def test_import_creates_a_published_course_with_rendered_lessons(app, tmp_path):
    """A valid package becomes a published course whose lessons are stored as HTML."""
    [result] = _import(packages.write_folder(tmp_path))
    assert (result.slug, result.status, result.version, result.published) == ("cyber-hygiene", "created", 1, True)
    course = db.session.scalar(db.select(Course))
    version = course.current_version
    assert course.published and version.title == "Cyber hygiene" and version.hours == 2
    assert [item.slug for item in version.items] == ["passwords", "phishing", "check"]
    assert [item.kind for item in version.items] == ["lesson", "lesson", "quiz"]
    lesson = version.items[0]
    assert 'href="/courses/cyber-hygiene/phishing"' in lesson.html
    assert f'src="/assets/{version.assets[0].sha256}/card.svg"' in lesson.html
    assert version.certificate == {"issue": "auto", "valid_months": 12}


def test_reimporting_an_unchanged_package_writes_nothing(app, tmp_path):
    """Importing the same package twice reports "unchanged" and adds no version."""
    folder = packages.write_folder(tmp_path)
    _import(folder)
    [result] = _import(folder)
    assert result.status == "unchanged" and result.version == 1
    assert _count(CourseVersion) == 1


def test_changed_package_creates_a_new_version_and_keeps_the_old(app, tmp_path):
    """A changed lesson makes version 2; version 1 and its lessons stay for those who used it."""
    _import(packages.write_folder(tmp_path))
    changed = packages.files(**{"02-phishing_dot_md": packages.LESSON_2 + "\nMore text.\n"})
    [result] = _import(packages.write_folder(tmp_path / "v2", contents=changed))
    assert (result.status, result.version) == ("new version", 2)
    course = db.session.scalar(db.select(Course))
    assert course.current_version.number == 2
    assert _count(CourseVersion) == 2
    assert _count(CourseItem) == 6
    assert _count(AssetBlob) == 1  # the unchanged image is stored once


def test_draft_import_does_not_change_what_learners_see(app, tmp_path):
    """With --draft, a new version is stored but the published one stays current."""
    _import(packages.write_folder(tmp_path))
    changed = packages.files(**{"02-phishing_dot_md": packages.LESSON_2 + "\nDraft text.\n"})
    [result] = _import(packages.write_folder(tmp_path / "v2", contents=changed), draft=True)
    assert (result.version, result.published) == (2, False)
    assert db.session.scalar(db.select(Course)).current_version.number == 1


def test_new_course_imported_as_draft_is_not_published(app, tmp_path):
    """A brand-new draft course is hidden from the catalogue."""
    _import(packages.write_folder(tmp_path), draft=True)
    course = db.session.scalar(db.select(Course))
    assert not course.published and course.current_version is None


def test_any_problem_imports_nothing(app, tmp_path):
    """If one of several packages is invalid, none of them is imported."""
    good = read_folder(packages.write_folder(tmp_path, "good"))
    bad = read_folder(packages.write_folder(tmp_path, "bad", packages.files(course_dot_md="no front matter")))
    with pytest.raises(ValidationFailed) as failed:
        importer.import_packages([good, bad])
    db.session.rollback()
    assert any(str(problem).startswith("bad/course.md:1:") for problem in failed.value.problems)
    assert _count(Course) == 0 and _count(AssetBlob) == 0


def test_export_then_import_is_a_round_trip(app, tmp_path):
    """Exporting a course and importing the export changes nothing."""
    original = packages.write_folder(tmp_path / "in")
    _import(original)
    version = db.session.scalar(db.select(Course)).current_version
    exported = exporter.export_to_folder(version, tmp_path / "out")
    assert read_folder(exported).files == read_folder(original).files
    [result] = _import(exported)
    assert result.status == "unchanged"
    [zipped] = importer.import_packages([read_zip(exporter.export_to_zip(version), "x.zip")])
    assert zipped.status == "unchanged"


def test_windows_line_endings_do_not_make_a_new_version(app, tmp_path):
    """The same text saved with CRLF and a BOM is the same version."""
    _import(packages.write_folder(tmp_path / "a"))
    contents = packages.files()
    contents["course.md"] = "\ufeff" + packages.COURSE_MD.replace("\n", "\r\n")
    [result] = _import(packages.write_folder(tmp_path / "b", contents=contents))
    assert result.status == "unchanged"


def test_cli_validate_import_export(app, runner, tmp_path):
    """`flask courses validate|import|export` work end to end and report in plain words."""
    folder = packages.write_folder(tmp_path / "in")
    result = runner.invoke(args=["courses", "validate", str(folder), "--lang", "en"])
    assert result.exit_code == 0 and "1 package(s) OK" in result.output
    result = runner.invoke(args=["courses", "import", str(folder), "--lang", "en"])
    assert result.exit_code == 0 and "cyber-hygiene: created (version 1, published)" in result.output
    result = runner.invoke(args=["courses", "import", str(folder)])
    assert "cyber-hygiene: unchanged (version 1, published)" in result.output
    result = runner.invoke(args=["courses", "export", "cyber-hygiene", str(tmp_path / "out")])
    assert result.exit_code == 0 and (tmp_path / "out" / "cyber-hygiene" / "course.md").exists()
    assert runner.invoke(args=["courses", "export", "nope", str(tmp_path / "out")]).exit_code == 1


def test_cli_validate_reports_every_problem_and_exits_1(app, runner, tmp_path):
    """Problems go to stderr as path:line: message and the exit code is 1; nothing is imported."""
    folder = packages.write_folder(tmp_path, contents=packages.files(
        **{"01-passwords_dot_md": "---\nminutes: x\n---\n![](assets/none.png)\n"}))
    result = runner.invoke(args=["courses", "import", str(folder), "--lang", "en"])
    assert result.exit_code == 1
    assert "cyber-hygiene/01-passwords.md:1: the file has no title" in result.output
    assert "cyber-hygiene/01-passwords.md:2: minutes must be a whole number" in result.output
    assert "cyber-hygiene/01-passwords.md:4: the image 'assets/none.png' has no alt text" in result.output
    assert _count(Course) == 0


def test_cli_validates_a_folder_of_packages_and_zips(app, runner, tmp_path):
    """`validate courses/` checks every package folder and zip inside it."""
    packages.write_folder(tmp_path / "all", "one")
    (tmp_path / "all" / "two.zip").write_bytes(packages.zip_bytes(top="two"))
    result = runner.invoke(args=["courses", "validate", str(tmp_path / "all")])
    assert result.exit_code == 0, result.output
    assert "2 package(s) OK: one, two" in result.output


def test_cli_reports_an_unsafe_zip(app, runner, tmp_path):
    """A zip with a path trick is refused with the member's name."""
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("course.md", "x")
        archive.writestr("../../evil.md", "x")
    path = tmp_path / "evil.zip"
    path.write_bytes(buffer.getvalue())
    result = runner.invoke(args=["courses", "import", str(path), "--lang", "en"])
    assert result.exit_code == 1 and "../../evil.md: paths with '..' are not allowed" in result.output
