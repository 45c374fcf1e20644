"""Claim: a PDF rendering failure keeps the certificate (valid and verifiable), stores no broken file, tells
the learner what happened, and a later download renders and stores the PDF."""

import pytest
import weasyprint

from app.certificates import codes
from app.certificates.models import Certificate
from app.extensions import db
from tests.helpers import submit
from tests.reliability.steps import save_right_answers, start_attempt


@pytest.fixture
def certificate(client, learner):
    """The learner passes the quiz through the pages, which completes the course and issues a certificate."""
    attempt_id = start_attempt(client)
    save_right_answers(client, attempt_id)
    submit(client, f"/attempts/{attempt_id}/submit", {}, page=f"/attempts/{attempt_id}/check")
    db.session.commit()
    return db.session.scalar(db.select(Certificate).where(Certificate.user_id == learner.id))


def _raise_in_render(*args, **kwargs):
    raise OSError("Pango could not load the font")


def _truncated_render(*args, **kwargs):
    return b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog"  # the process ran out of memory half-way


def _stored_pdf(certificate_id):
    db.session.commit()
    db.session.expire_all()
    return db.session.get(Certificate, certificate_id)


@pytest.mark.parametrize("fault", [_raise_in_render, _truncated_render], ids=["raises", "truncated"])
def test_pdf_failure_keeps_the_certificate_and_the_download_can_be_retried(client, certificate, monkeypatch,
                                                                           fault):
    """Fault: WeasyPrint raises, or returns a truncated document, while rendering the certificate's PDF (ASVS
    V16.5 error handling). Expected: a 503 page saying the certificate is safe and to try again, no PDF
    stored, the certificate still valid on its public verification page; once rendering works again the
    same download returns the PDF and stores it."""
    url = f"/certificates/{certificate.code}.pdf"
    with monkeypatch.context() as broken:
        broken.setattr(weasyprint.HTML, "write_pdf", fault)
        response = client.get(url)
    page = response.get_data(as_text=True)
    assert response.status_code == 503 and response.headers["Retry-After"] == "60"
    assert "Your certificate is safe and valid, but its PDF could not be made just now." in page
    assert "Traceback" not in page
    stored = _stored_pdf(certificate.id)
    assert stored.state == "valid" and stored.pdf is None and stored.pdf_template is None
    verification = client.get(f"/verify/{codes.formatted(certificate.code)}").get_data(as_text=True)
    assert "<h1>Valid</h1>" in verification

    retry = client.get(url)
    assert retry.status_code == 200 and retry.mimetype == "application/pdf"
    assert retry.data.startswith(b"%PDF-") and _stored_pdf(certificate.id).pdf == retry.data
