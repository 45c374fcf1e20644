"""Open Badges 3.0 credentials of our certificates: valid, signed, private, revocable, key rotation."""

import json
from datetime import date

import pytest

from app.certificates import badges, credentials, keys, services
from app.content import importer
from app.content.models import Course
from app.content.package import read_folder
from app.extensions import db
from tests.content import packages
from tests.helpers import submit


@pytest.fixture
def certificate(app, tmp_path, make_user):
    app.config["KEYS_FOLDER"] = str(tmp_path / "keys")
    importer.import_packages([read_folder(packages.write_folder(
        tmp_path, contents=packages.files(**{"03-check_dot_quiz_dot_md": None})))])
    course = db.session.scalar(db.select(Course))
    user = make_user(email="maria@plovdiv.bg", full_name="Мария Иванова")
    issued = services.issue(user, course, course.current_version, date.today())
    db.session.commit()
    return issued


def test_credential_is_schema_valid_and_verifies(certificate):
    """Every credential we issue passes the OB 3.0 schema and its eddsa-rdfc-2022 proof verifies."""
    document = badges.signed(certificate)
    assert credentials.check_schema(document) == []
    assert credentials.verify(document, badges.resolve_key).ok
    assert document["proof"]["cryptosuite"] == "eddsa-rdfc-2022"
    alignments = document["credentialSubject"]["achievement"]["alignment"]
    assert alignments[0]["targetName"] == "4.1 Protecting devices"


def test_credential_does_not_contain_the_email_address(certificate):
    """The learner is identified by a salted hash, so the file does not leak their e-mail."""
    text = json.dumps(badges.signed(certificate))
    assert "maria@plovdiv.bg" not in text
    identity = badges.signed(certificate)["credentialSubject"]["identifier"][0]
    assert identity["identityHash"] == badges.identity_hash("maria@plovdiv.bg", identity["salt"])


def test_tampered_credential_fails(certificate):
    """Changing the course name in the file breaks the signature."""
    document = badges.signed(certificate)
    document["credentialSubject"]["achievement"]["name"] = "Something else"
    assert credentials.verify(document, badges.resolve_key).reason == "bad signature"


def test_keys_are_files_with_mode_600_and_rotation_keeps_old_keys(app, certificate, tmp_path):
    """Keys live outside the database; after rotation old credentials still verify via /issuer."""
    old = badges.signed(certificate)
    assert oct((tmp_path / "keys" / "ed25519-0001.pem").stat().st_mode & 0o777) == "0o600"
    keys.rotate()
    new = badges.signed(certificate)
    assert old["proof"]["verificationMethod"].endswith("#key-1")
    assert new["proof"]["verificationMethod"].endswith("#key-2")
    assert credentials.verify(old, badges.resolve_key).ok and credentials.verify(new, badges.resolve_key).ok
    profile = badges.issuer_profile()
    assert [m["id"].rsplit("#", 1)[1] for m in profile["verificationMethod"]] == ["key-1", "key-2"]


def test_revocation_shows_in_the_status_list(app, client, certificate, runner, tmp_path):
    """A revoked certificate's bit is set in the published list, and verify-credential says revoked."""
    path = tmp_path / "credential.json"
    path.write_text(json.dumps(badges.signed(certificate)))
    assert runner.invoke(args=["certificates", "verify-credential", str(path)]).exit_code == 0
    status = client.get("/credentials/status-list").get_json()
    assert not badges.is_revoked_in_list(status, certificate.id)
    services.revoke(certificate, "Mistake")
    db.session.commit()
    status = client.get("/credentials/status-list").get_json()
    assert badges.is_revoked_in_list(status, certificate.id)
    now = credentials.parse_datetime(status["validFrom"])
    assert credentials.check_proofs(status, badges.resolve_key, "assertionMethod", now) == ""  # signed by us
    result = runner.invoke(args=["certificates", "verify-credential", str(path)])
    assert result.exit_code == 1 and "revoked" in result.output


def test_verify_credential_rejects_the_negative_fixtures(app, runner, tmp_path):
    """The 1EdTech validator's broken credentials are refused with a reason; garbage too."""
    from pathlib import Path

    fixtures = Path(__file__).resolve().parent.parent / "data" / "ob3" / "validator-fixtures"
    for name in ("simple-err-expired.json", "simple-err-proof-value.json", "simple-err-type.json"):
        result = runner.invoke(args=["certificates", "verify-credential", str(fixtures / name)])
        assert result.exit_code == 1 and "NOT valid" in result.output, name
    for name in ("simple.json", "simple-did-key-method.json", "simple-context-alias.json",
                 "simple-context-version.json", "simple-multiple-proofs.json"):
        result = runner.invoke(args=["certificates", "verify-credential", str(fixtures / name)])
        assert result.exit_code == 0, (name, result.output)
    garbage = tmp_path / "x.json"
    garbage.write_text("{not json")
    assert runner.invoke(args=["certificates", "verify-credential", str(garbage)]).exit_code == 1


def test_issuer_profile_and_credential_download(app, client, certificate, make_user):
    """/issuer publishes the keys; only the holder (or staff) downloads the credential file."""
    assert client.get("/issuer").get_json()["verificationMethod"][0]["type"] == "Multikey"
    url = f"/certificates/{certificate.code}/credential.json"
    assert client.get(url).status_code == 302  # sign in first
    submit(client, "/account/login", {"email": "maria@plovdiv.bg", "password": "correct horse battery"})
    assert client.get(url).get_json()["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    other = app.test_client()
    submit(other, "/account/login", {"email": make_user().email, "password": "correct horse battery"})
    assert other.get(url).status_code == 404


def test_the_first_key_is_created_once_when_many_ask_at_the_same_moment(app, tmp_path):
    """Bulk render workers start together; they must share one key, and none may read half a file."""
    from app.certificates import keys
    from tests.helpers import run_concurrently

    app.config["KEYS_FOLDER"] = str(tmp_path / "race-keys")
    results, errors = run_concurrently(app, 8, lambda: keys.current_key()[0])
    assert errors == [] and set(results) == {1}
    assert [p.name for p in (tmp_path / "race-keys").iterdir()] == ["ed25519-0001.pem"]
