"""Claim: `flask backup` and `flask restore` bring back every row as it was at backup time, and a restore
that would do harm (no confirmation, the wrong file, the other engine's backup) changes nothing."""

import sqlite3
import subprocess

import pytest
from sqlalchemy import select, text
from sqlalchemy.engine import make_url

from app import backup as backups
from app.accounts.models import User
from app.certificates import codes
from app.certificates import services as certificates
from app.certificates.models import Certificate
from app.extensions import db
from tests.helpers import submit
from tests.reliability.steps import save_right_answers, start_attempt


def snapshot():
    """Every row of every table (and the schema revision), ordered by primary key."""
    db.session.commit()
    rows = {}
    for table in db.metadata.sorted_tables:
        order = list(table.primary_key.columns) or list(table.columns)
        rows[table.name] = [tuple(row) for row in db.session.execute(select(table).order_by(*order))]
    rows["alembic_version"] = [tuple(row) for row in db.session.execute(text("SELECT * FROM alembic_version"))]
    db.session.commit()
    return rows


def _run(app, runner, *args):
    """A `flask ...` command with its own app context, as a separate process would have."""
    db.session.commit()
    with app.app_context():
        return runner.invoke(args=list(args))


@pytest.fixture
def platform_in_use(app, client, learner, make_user):
    """A learner who passed and downloaded the PDF of their certificate, and a colleague with an account."""
    attempt_id = start_attempt(client)
    save_right_answers(client, attempt_id)
    submit(client, f"/attempts/{attempt_id}/submit", {}, page=f"/attempts/{attempt_id}/check")
    certificate = db.session.scalar(select(Certificate))
    assert client.get(f"/certificates/{certificate.code}.pdf").status_code == 200
    colleague = make_user(email="ivan@plovdiv.bg")
    return learner, colleague, certificate


def _change_everything(client, learner, colleague, certificate, make_user):
    """After the backup: edits, deletions and additions in several tables."""
    db.session.get(User, learner.id).full_name = "Мария Петрова"
    db.session.delete(db.session.get(User, colleague.id))
    certificates.revoke(db.session.get(Certificate, certificate.id), "Issued by mistake")
    db.session.commit()
    start_attempt(client)
    make_user(email="new@plovdiv.bg")


def test_restore_brings_back_every_row_as_it_was(app, client, runner, platform_in_use, make_user, tmp_path):
    """Fault: data is changed and deleted after a backup (a mistake, a bad import, a broken disk; ASVS V14
    Data Protection). Expected: `flask restore --yes` brings every table back to its rows at backup time,
    the learner's session and certificate PDF included, and new rows can be added afterwards."""
    learner, colleague, certificate = platform_in_use
    path = tmp_path / "academy.backup"
    before = snapshot()
    result = _run(app, runner, "backup", str(path))
    assert result.exit_code == 0, result.output
    assert path.stat().st_mode & 0o077 == 0  # personal data: the owner's eyes only
    assert not path.with_name("academy.backup.partial").exists()

    _change_everything(client, learner, colleague, certificate, make_user)
    assert snapshot() != before
    result = _run(app, runner, "restore", str(path), "--yes")
    assert result.exit_code == 0, result.output
    assert snapshot() == before
    assert db.session.get(Certificate, certificate.id).pdf.startswith(b"%PDF-")
    dashboard = client.get("/dashboard")  # the learner is still signed in and sees the certificate
    assert dashboard.status_code == 200 and codes.formatted(certificate.code) in dashboard.get_data(as_text=True)
    make_user(email="after-restore@plovdiv.bg")  # the id sequences were restored too: no clash


def _foreign_backups(request, tmp_path):
    """A real SQLite database and a real pg_dump archive, neither of them of this platform."""
    sqlite_file = tmp_path / "other.sqlite3"
    with sqlite3.connect(sqlite_file) as conn:
        conn.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)")
    conn.close()
    sqlite_backup, pg_backup = tmp_path / "other-sqlite.backup", tmp_path / "other-pg.backup"
    backups.backup(f"sqlite:///{sqlite_file}", sqlite_backup)
    backups.backup(request.getfixturevalue("postgres_server").url("postgres"), pg_backup)
    return {"sqlite": sqlite_backup, "postgresql": pg_backup}


def test_restore_refuses_what_would_do_harm(app, backend, client, runner, platform_in_use, tmp_path, request):
    """Fault: restore is run without confirming, or given a file that is not a backup, a truncated backup, a
    backup of another database, or the other engine's backup (ASVS V14 Data Protection; V2 business logic).
    Expected: each is refused with a message that says why and exits 1, and not a single row changes."""
    own = tmp_path / "own.backup"
    assert _run(app, runner, "backup", str(own)).exit_code == 0
    not_a_backup = tmp_path / "notes.txt"
    not_a_backup.write_text("SQLite format 2, honest\n")
    foreign = _foreign_backups(request, tmp_path)
    truncated = tmp_path / "truncated.backup"  # a copy that broke off half-way (a full disk, a cut transfer)
    truncated.write_bytes(own.read_bytes()[: own.stat().st_size // 2])
    other_engine = "postgresql" if backend == "sqlite" else "sqlite"
    cases = {
        own: "Stop the platform, then run the command again with --yes",
        not_a_backup: "is not a backup made by `flask backup`",
        foreign[backend]: "is not a backup of this platform",
        truncated: "is not a backup of this platform (it has no alembic_version table, or it is damaged)",
        foreign[other_engine]: f"is a backup of {backups.A_DATABASE_OF[other_engine]}, but this platform runs on "
                               f"{backups.A_DATABASE_OF[backend]}",
    }
    db.session.get(User, platform_in_use[0].id).full_name = "Changed after the backup"
    before = snapshot()
    for path, message in cases.items():
        result = _run(app, runner, "restore", str(path), *(["--yes"] if path != own else []))
        assert result.exit_code == 1 and message in result.output, (path, result.output)
        assert snapshot() == before


def test_postgresql_password_never_appears_on_a_command_line(monkeypatch, postgres_server, tmp_path):
    """Fault: another user of the server lists processes (`ps`) while a backup runs (ASVS V13.3 secret
    management). Expected: pg_dump gets the password in PGPASSWORD, and its command line has none."""
    seen = []
    run = subprocess.run

    def spy(command, **kwargs):
        seen.append((command, kwargs["env"]))
        return run(command, **kwargs)

    monkeypatch.setattr(backups.subprocess, "run", spy)
    url = postgres_server.url("postgres").replace("postgres@", "postgres:s%40cret-pw@")  # trust auth ignores it
    backups.backup(url, tmp_path / "pg.backup")
    [(command, environment)] = seen
    assert not any("cret-pw" in part for part in command)
    assert environment["PGPASSWORD"] == "s@cret-pw"
    assert f"--dbname=postgresql://postgres@127.0.0.1:{postgres_server.port}/postgres" in command


def test_backup_of_a_missing_sqlite_file_is_refused(tmp_path):
    """Fault: DATABASE_URL points at an SQLite file that does not exist (a typo). Expected: a clear error,
    and no empty "backup" that would look like a good one."""
    target = tmp_path / "academy.backup"
    with pytest.raises(backups.BackupError, match="could not copy"):
        backups.backup(f"sqlite:///{tmp_path / 'missing.sqlite3'}", target)
    assert not target.exists() and not (tmp_path / "missing.sqlite3").exists()



@pytest.mark.sqlite_only
def test_sqlite_backup_while_the_platform_writes(app, database_url, make_user, tmp_path):
    """Fault: a backup runs while another process is in the middle of writing, and recent commits still sit
    in the write-ahead log (ASVS V14 Data Protection). Expected: the backup holds every committed change,
    none of the unfinished one, and is one self-contained file."""
    user = make_user(full_name="Committed Name")
    database_file = make_url(database_url).database
    writer = sqlite3.connect(database_file, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("UPDATE users SET full_name = 'Unfinished Name' WHERE id = ?", (user.id,))
    try:
        backups.backup(database_url, tmp_path / "live.backup")
    finally:
        writer.rollback()
        writer.close()
    with sqlite3.connect(tmp_path / "live.backup") as copy:
        names = [row[0] for row in copy.execute("SELECT full_name FROM users")]
        journal_mode = copy.execute("PRAGMA journal_mode").fetchone()[0]
    copy.close()
    assert names == ["Committed Name"] and journal_mode == "delete"
