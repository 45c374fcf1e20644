"""The dependency audit (tools/audit_dependencies.py) fails on a known vulnerability in the lock."""

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
spec = importlib.util.spec_from_file_location("audit_dependencies", ROOT / "tools" / "audit_dependencies.py")
audit = importlib.util.module_from_spec(spec)
spec.loader.exec_module(audit)


def _project(version, vulnerabilities=()):
    return {"info": {"version": version}, "vulnerabilities": list(vulnerabilities)}


def test_the_lock_pins_every_dependency_exactly():
    """requirements.lock pins the whole tested set, WeasyPrint included, one exact version each."""
    pins = audit.locked(ROOT / "requirements.lock")
    for name in ("flask", "weasyprint", "werkzeug", "jinja2", "cryptography", "nh3", "psycopg", "redis"):
        assert name in pins, name
    assert all(version and version[0].isdigit() for version in pins.values())


def test_a_known_vulnerability_fails_the_audit(tmp_path, monkeypatch, capsys):
    """A locked release with an advisory (not withdrawn) makes the audit exit 1 and name it."""
    lock = tmp_path / "requirements.lock"
    lock.write_text("# test\nweasyprint==70.0\nflask==3.1.3\n")
    advisories = {"weasyprint": _project("70.0", [{"id": "GHSA-test-0001", "fixed_in": ["70.1"]}]),
                  "flask": _project("3.1.3", [{"id": "PYSEC-old", "withdrawn": "2026-01-01"}])}
    monkeypatch.setattr(audit, "pip_audit", lambda _lock: ([], ["weasyprint", "flask"]))
    monkeypatch.setattr(audit, "project_json", advisories.get)
    assert audit.main(["--lock", str(lock)]) == 1
    output = capsys.readouterr().out
    assert "VULNERABLE weasyprint 70.0: GHSA-test-0001 (fixed in: 70.1)" in output and "PYSEC-old" not in output


def test_a_clean_lock_passes_and_unaudited_packages_are_listed(tmp_path, monkeypatch, capsys):
    """No advisories passes; a package older than its newest release is listed as not audited, and
    fails only with --strict."""
    lock = tmp_path / "requirements.lock"
    lock.write_text("flask==3.1.3\ndeprecated==1.3.1\n")
    monkeypatch.setattr(audit, "pip_audit", lambda _lock: ([], ["flask", "deprecated"]))
    monkeypatch.setattr(audit, "project_json", {"flask": _project("3.1.3"), "deprecated": _project("3.0.1")}.get)
    assert audit.main(["--lock", str(lock)]) == 0
    assert "not audited: deprecated 1.3.1 (newest release: 3.0.1)" in capsys.readouterr().out
    assert audit.main(["--lock", str(lock), "--strict"]) == 1
