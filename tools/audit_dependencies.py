"""Audit the locked dependency set (requirements.lock) for known vulnerabilities; exit 1 on any.

pip-audit asks PyPI for the advisories of each locked release. Where a package index or proxy only
serves PyPI's per-project JSON (as on machines with a registry mirror), pip-audit cannot see the
release and skips it; then this tool uses the project JSON instead, whose `vulnerabilities` apply
to the newest release, and audits every locked package that is at its newest release. Packages it
still cannot audit are listed, and `--strict` makes them fail the run too.
"""

import argparse
import json
import subprocess
import sys
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYPI = "https://pypi.org/pypi/{name}/json"


def locked(path):
    """{name: version} from a pip freeze style lock file."""
    pins = {}
    for line in Path(path).read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if "==" in line:
            name, version = line.split("==", 1)
            pins[name.strip().lower()] = version.split(";", 1)[0].strip()
    return pins


def pip_audit(lock):
    """Run pip-audit; returns (found vulnerabilities, names it skipped)."""
    result = subprocess.run(  # noqa: S603 (our own interpreter and a fixed module)
        [sys.executable, "-m", "pip_audit", "-r", str(lock), "--no-deps", "--disable-pip",
         "--progress-spinner", "off", "-f", "json"],
        capture_output=True, text=True, check=False,
    )
    try:
        report = json.loads(result.stdout)
    except json.JSONDecodeError:
        print(result.stderr, file=sys.stderr)
        raise SystemExit("pip-audit did not produce a report") from None
    found, skipped = [], []
    for dependency in report["dependencies"]:
        if "skip_reason" in dependency:
            skipped.append(dependency["name"].lower())
        for vulnerability in dependency.get("vulns", []):
            found.append((dependency["name"], dependency["version"], vulnerability["id"],
                          ", ".join(vulnerability.get("fix_versions", [])) or "no fix yet"))
    return found, skipped


def project_json(name):
    """PyPI's JSON for a project (newest release and its advisories), or None when unreachable."""
    try:
        with urllib.request.urlopen(PYPI.format(name=name), timeout=30) as response:  # noqa: S310 (fixed https URL)
            return json.load(response)
    except OSError:
        return None


def audit_newest(pins, names):
    """Audit `names` through the project JSON; returns (found, still not audited)."""
    found, unaudited = [], []
    for name in names:
        data = project_json(name)
        if data is None or data["info"]["version"] != pins[name]:
            newest = data["info"]["version"] if data else "unknown"
            unaudited.append(f"{name} {pins[name]} (newest release: {newest})")
            continue
        for vulnerability in data.get("vulnerabilities", []):
            if not vulnerability.get("withdrawn"):
                found.append((name, pins[name], vulnerability["id"],
                              ", ".join(vulnerability.get("fixed_in", [])) or "no fix yet"))
    return found, unaudited


def main(argv=None):
    """Audit the lock; print one line per finding and a summary."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lock", default=ROOT / "requirements.lock")
    parser.add_argument("--strict", action="store_true", help="also fail when a package could not be audited")
    options = parser.parse_args(argv)
    pins = locked(options.lock)
    found, skipped = pip_audit(options.lock)
    more, unaudited = audit_newest(pins, [name for name in skipped if name in pins])
    found += more
    for name, version, identifier, fix in found:
        print(f"VULNERABLE {name} {version}: {identifier} (fixed in: {fix})")
    for line in unaudited:
        print(f"not audited: {line}")
    print(f"{len(pins)} locked packages: {len(found)} known vulnerabilities, {len(unaudited)} not audited")
    return 1 if found or (options.strict and unaudited) else 0


if __name__ == "__main__":
    sys.exit(main())
