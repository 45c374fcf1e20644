"""Claim: a course import that fails at its last file leaves the previous version published and served,
and no row of the failed import behind."""

from pathlib import Path

import pytest
from sqlalchemy import text

from app.content.models import Course
from app.extensions import db
from tests.content import packages
from tests.reliability.steps import COURSE, row_counts

NEW_LESSON = """---
title: Last words
---

## Before you go

Report anything odd to the help desk.
"""
# The new version changes a lesson and adds one; the added lesson is the last file the importer handles.
NEW_VERSION = packages.files(**{"02-phishing.md": packages.LESSON_2.replace("Phishing", "Phishing, revised"),
                                "04-last-words.md": NEW_LESSON})

REFUSE_LAST_FILE = {
    "sqlite": ["""CREATE TRIGGER refuse_last_file BEFORE INSERT ON course_items WHEN NEW.slug = 'last-words'
                  BEGIN SELECT RAISE(ABORT, 'could not extend file: no space left on device'); END"""],
    "postgresql": ["""CREATE FUNCTION refuse_last_file() RETURNS trigger LANGUAGE plpgsql AS $$
                      BEGIN
                        IF NEW.slug = 'last-words' THEN
                          RAISE EXCEPTION 'could not extend file: no space left on device';
                        END IF;
                        RETURN NEW;
                      END $$""",
                   """CREATE TRIGGER refuse_last_file BEFORE INSERT ON course_items
                      FOR EACH ROW EXECUTE FUNCTION refuse_last_file()"""],
}
ALLOW_AGAIN = {
    "sqlite": ["DROP TRIGGER refuse_last_file"],
    "postgresql": ["DROP TRIGGER refuse_last_file ON course_items", "DROP FUNCTION refuse_last_file()"],
}


@pytest.fixture
def published(app, runner, tmp_path):
    """Version 1 of the course, imported and published from the command line."""
    result = runner.invoke(args=["courses", "import", str(packages.write_folder(tmp_path / "v1"))])
    assert result.exit_code == 0, result.output
    return packages.write_folder(tmp_path / "v2", contents=NEW_VERSION)


def _import_in_its_own_process_context(app, runner, folder):
    """Run `flask courses import` with its own app context, as a separate command would be."""
    with app.app_context():
        return runner.invoke(args=["courses", "import", str(folder)])


def _still_serving_version_1(client):
    db.session.commit()
    course = db.session.scalar(db.select(Course))
    assert course.published and course.current_version.number == 1
    page = client.get(COURSE).get_data(as_text=True)
    assert "Phishing" in page and "Phishing, revised" not in page and "Last words" not in page


def test_disk_error_on_the_last_file_imports_nothing(app, client, runner, published, monkeypatch):
    """Fault: reading the new version's last file fails with an I/O error (ASVS V16.5 error handling).
    Expected: the command names the file and exits 1 without a traceback; version 1 stays published and
    served, and every table holds exactly the rows it held before."""
    last = sorted(path for path in published.rglob("*") if path.is_file())[-1]
    read_bytes = Path.read_bytes

    def failing_read(path):
        if path == last:
            raise OSError(5, "Input/output error")
        return read_bytes(path)

    monkeypatch.setattr(Path, "read_bytes", failing_read)
    before = row_counts()
    result = _import_in_its_own_process_context(app, runner, published)
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit), result.exception  # no traceback
    assert f"{last.relative_to(published).as_posix()}: this file could not be read (Input/output error)" \
        in result.output
    assert row_counts() == before
    _still_serving_version_1(client)


def test_database_refusing_the_last_file_leaves_no_partial_rows(app, backend, client, runner, published):
    """Fault: the database refuses the row of the new version's last file after the version, its other
    lessons and its assets were written in the same transaction (ASVS V16.5; V15 secure coding: atomic
    changes). Expected: the command says nothing was changed and exits 1; version 1 stays published and
    served; every table holds exactly the rows it held before."""
    before = row_counts()
    for statement in REFUSE_LAST_FILE[backend]:
        db.session.execute(text(statement))
    db.session.commit()
    try:
        result = _import_in_its_own_process_context(app, runner, published)
    finally:
        for statement in ALLOW_AGAIN[backend]:
            db.session.execute(text(statement))
        db.session.commit()
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit), result.exception
    assert "The database refused the import, so nothing was changed" in result.output
    assert "no space left on device" in result.output
    assert row_counts() == before
    _still_serving_version_1(client)
    # Once the fault is gone the same import succeeds, so the failure left nothing in its way.
    assert _import_in_its_own_process_context(app, runner, published).exit_code == 0
    db.session.commit()
    assert db.session.scalar(db.select(Course)).current_version.number == 2
