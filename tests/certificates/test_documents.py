"""The certificate PDF as a holder gets it: rendered once, credential attached, private, never lost."""

import io
import subprocess
from datetime import date

import pikepdf
import pytest

from app.certificates import documents, services
from app.certificates.models import Certificate
from app.content import importer
from app.content.models import Course
from app.content.package import read_folder
from app.extensions import db
from tests.content import packages
from tests.helpers import submit


@pytest.fixture
def holder(app, client, tmp_path, make_user):
    app.config["KEYS_FOLDER"] = str(tmp_path / "keys")
    importer.import_packages([read_folder(packages.write_folder(
        tmp_path, contents=packages.files(**{"03-check_dot_quiz_dot_md": None})))])
    course = db.session.scalar(db.select(Course))
    user = make_user(email="maria@plovdiv.bg", full_name="Мария Иванова")
    certificate = services.issue(user, course, course.current_version, date.today())
    db.session.commit()
    submit(client, "/account/login", {"email": "maria@plovdiv.bg", "password": "correct horse battery"})
    return certificate


def test_holder_downloads_a_pdf_a_with_the_credential_attached(client, holder, tmp_path):
    """The PDF names the holder and course, carries the signed credential and has a safe file name."""
    response = client.get(f"/certificates/{holder.code}.pdf")
    assert response.mimetype == "application/pdf"
    assert 'filename="Mariya-Ivanova-Cyber-hygiene.pdf"' in response.headers["Content-Disposition"]
    path = tmp_path / "c.pdf"
    path.write_bytes(response.data)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert "Мария Иванова" in text and "Cyber hygiene" in text
    with pikepdf.open(io.BytesIO(response.data)) as pdf:
        assert "credential.json" in pdf.attachments
        assert b"OpenBadgeCredential" in pdf.attachments["credential.json"].get_file().read_bytes()


def test_pdf_is_rendered_once_and_stored(app, client, holder, monkeypatch):
    """A second download serves the stored file; a new template version renders again."""
    client.get(f"/certificates/{holder.code}.pdf")
    calls = []
    monkeypatch.setattr(documents, "render", lambda certificate: calls.append(1) or b"%PDF-new")
    client.get(f"/certificates/{holder.code}.pdf")
    assert calls == []
    monkeypatch.setattr(documents, "template_version", lambda: "another")
    assert client.get(f"/certificates/{holder.code}.pdf").data == b"%PDF-new" and calls == [1]


def test_rendering_failure_keeps_the_certificate(app, client, holder, monkeypatch):
    """If rendering fails, the learner gets a calm error page and the certificate stays valid."""
    def broken(certificate):
        raise RuntimeError("fonts missing")

    monkeypatch.setattr(documents, "render", broken)
    response = client.get(f"/certificates/{holder.code}.pdf")
    assert response.status_code == 503
    db.session.expire_all()
    assert db.session.get(Certificate, holder.id).state == "valid"


def test_another_learner_never_gets_the_pdf(app, holder, make_user):
    """Swapping codes gives 404, never someone else's certificate file."""
    other = app.test_client()
    submit(other, "/account/login", {"email": make_user().email, "password": "correct horse battery"})
    assert other.get(f"/certificates/{holder.code}.pdf").status_code == 404
    assert app.test_client().get(f"/certificates/{holder.code}.pdf").status_code == 302


def test_cli_render(app, runner, holder, tmp_path):
    """`flask certificates render CODE OUT.pdf` writes the PDF."""
    out = tmp_path / "out.pdf"
    result = runner.invoke(args=["certificates", "render", holder.code.lower(), str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_bytes().startswith(b"%PDF")


def test_hub_and_signatory_appear_in_the_certificates_language(app, holder, tmp_path):
    """An English certificate names the hub in English; a Bulgarian one in Bulgarian (HUB_NAME_BG)."""
    app.config.update(HUB_NAME="Trakia EDIH", HUB_NAME_BG="ЕЦИХ Тракия",
                      SIGNATORY_TITLE="Director", SIGNATORY_TITLE_BG="Директор")

    def text_of(certificate):
        path = tmp_path / f"{certificate.language}.pdf"
        path.write_bytes(documents.render(certificate))
        text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
        return text.upper()  # the hub's name is set in capitals by the stylesheet

    english = text_of(holder)
    assert "TRAKIA EDIH" in english and "ЕЦИХ ТРАКИЯ" not in english and "DIRECTOR" in english
    holder.language = "bg"
    bulgarian = text_of(holder)
    assert "ЕЦИХ ТРАКИЯ" in bulgarian and "TRAKIA EDIH" not in bulgarian and "ДИРЕКТОР" in bulgarian
    app.config["HUB_NAME_BG"] = ""
    assert "TRAKIA EDIH" in text_of(holder)  # no Bulgarian name set: the one name everywhere
