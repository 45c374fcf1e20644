"""Certificate PDFs read back as a holder, an employer and the hub would: text, fonts, PDF/A, QR, safety."""

import http.server
import io
import re
import subprocess
import threading
import urllib.request
from datetime import date
from pathlib import Path

import pikepdf
import pytest
import zxingcpp
from PIL import Image

from app import create_app
from app.certificates.pdf import URLRefused, make_url_fetcher, qr_svg_data_uri, render_pdf, safe_filename

CREDENTIAL = b'{"@context": ["https://www.w3.org/ns/credentials/v2"], "type": ["VerifiableCredential"]}'
VERIFY_URL = "https://academy.example.bg/verify/7Q2K-9XRT-4MPA"


def bulgarian(**changes):
    context = {
        "learner_name": "Мария Петрова Иванова",
        "course_title": "Киберхигиена за служители",
        "language": "bg",
        "hours": 8.0,
        "competences": ["Разпознаване на фишинг", "Сигурни пароли"],
        "completed_on": date(2025, 3, 10),
        "issued_on": date(2025, 3, 12),
        "valid_until": date(2027, 3, 12),
        "code": "7Q2K-9XRT-4MPA",
        "verify_url": VERIFY_URL,
        "issuer_name": "Cyber4All European Digital Innovation Hub",
        "signatory_name": "Иван Георгиев",
        "signatory_title": "Ръководител на обученията",
        "platform_name": "Cyber4All Academy",
    }
    return {**context, **changes}


def english(**changes):
    context = {
        "learner_name": "Maria Petrova Ivanova",
        "course_title": "Cyber hygiene for public servants",
        "language": "en",
        "hours": 1.5,
        "competences": ["Recognising phishing"],
        "signatory_name": "Ivan Georgiev",
        "signatory_title": "Head of Training",
    }
    return bulgarian(**{**context, **changes})


@pytest.fixture(scope="module")
def app():
    return create_app({"ACADEMY_ENV": "testing", "SQLALCHEMY_DATABASE_URI": "sqlite://"})


@pytest.fixture
def render(app, tmp_path):
    """Render a certificate to a file in tmp_path and return its path."""
    counter = iter(range(1000))

    def _render(context, attachments=(("credential.json", CREDENTIAL, "application/json"),)):
        with app.app_context(), app.test_request_context():
            data = render_pdf(context, list(attachments))
        path = tmp_path / f"certificate-{next(counter)}.pdf"
        path.write_bytes(data)
        return path

    return _render


@pytest.fixture
def listener():
    """An HTTP server on 127.0.0.1 that counts every request it receives."""
    requests = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            requests.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "image/svg+xml")
            self.end_headers()
            self.wfile.write(b'<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"/>')

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    server.requests = requests
    yield server
    server.shutdown()
    server.server_close()
    thread.join(5)


def pdf_text(path):
    return subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], check=True, capture_output=True,
                          text=True).stdout


def compact(text):
    """Text without any whitespace, so that line wrapping in the PDF does not matter."""
    return "".join(text.split())


def test_bulgarian_certificate_reads_in_bulgarian(render):
    """A holder of a Bulgarian course gets a certificate whose every phrase, name and code is in Bulgarian."""
    text = pdf_text(render(bulgarian()))
    for expected in ("Мария Петрова Иванова", "Киберхигиена за служители", "Сертификат", "успешно завърши обучението",
                     "8 часа", "Компетентности:", "Разпознаване на фишинг", "Дата на завършване", "10 март 2025",
                     "Дата на издаване", "12 март 2025", "Валиден до", "12 март 2027", "Иван Георгиев",
                     "Код на сертификата", "7Q2K-9XRT-4MPA", "Проверка на адрес", VERIFY_URL):
        assert compact(expected).casefold() in compact(text).casefold(), expected
    for english_phrase in ("successfully", "Completed on", "Issued on", "Valid until", "Verify at", "hours"):
        assert english_phrase not in text


def test_english_certificate_reads_in_english(render):
    """A holder of an English course can show an employer abroad a certificate entirely in English."""
    text = pdf_text(render(english(valid_until=None)))
    for expected in ("Maria Petrova Ivanova", "Cyber hygiene for public servants", "has successfully completed",
                     "1.5 hours", "Competences:", "Completed on", "10 March 2025", "Issued on", "12 March 2025",
                     "Certificate code", "7Q2K-9XRT-4MPA", "Verify at", VERIFY_URL):
        assert compact(expected) in compact(text), expected
    assert "Valid until" not in text  # no expiry, no line
    assert not re.search("[А-Яа-я]", text)


def test_pdf_a3b_with_embedded_fonts_and_the_credential(render):
    """The hub archives certificates as PDF/A-3b that print anywhere, carrying the machine-readable credential."""
    path = render(bulgarian())

    fonts = subprocess.run(["pdffonts", str(path)], check=True, capture_output=True, text=True).stdout
    rows = fonts.splitlines()[2:]
    assert rows, fonts
    for row in rows:
        match = re.search(r"\s(yes|no)\s+(yes|no)\s+(yes|no)\s+\d+\s+\d+\s*$", row)
        assert match and match[1] == "yes", row

    with pikepdf.open(path) as pdf:
        metadata = pdf.open_metadata()
        assert metadata.get("pdfaid:part") == "3"
        assert metadata.get("pdfaid:conformance") == "B"
        assert metadata.get("dc:title") == "Киберхигиена за служители – Мария Петрова Иванова"
        assert str(pdf.Root.Lang) == "bg"
        assert pdf.Root.MarkInfo.Marked  # tagged: screen readers get the structure and alt texts
        assert len(pdf.pages) == 1
        x0, y0, x1, y1 = (float(v) for v in pdf.pages[0].MediaBox)
        assert abs((x1 - x0) - 842) <= 1 and abs((y1 - y0) - 595) <= 1
        assert list(pdf.attachments) == ["credential.json"]
        spec = pdf.attachments["credential.json"]
        assert spec.get_file().read_bytes() == CREDENTIAL
        assert spec.get_file().mime_type == "application/json"
        assert spec.obj.AFRelationship in (pikepdf.Name.Source, pikepdf.Name.Data)
        assert len(pdf.Root.AF) == 1


def test_qr_code_opens_the_verification_page(render, tmp_path):
    """An employer scans the printed QR code and lands on the certificate's verification page."""
    path = render(bulgarian())
    subprocess.run(["pdftoppm", "-r", "150", "-png", "-singlefile", str(path), str(tmp_path / "page")], check=True)
    with Image.open(tmp_path / "page.png") as image:
        barcodes = zxingcpp.read_barcodes(image)
    assert [barcode.text for barcode in barcodes] == [VERIFY_URL]
    assert barcodes[0].format == zxingcpp.BarcodeFormat.QRCode


def hostile_inputs(port):
    return [
        '<img src="file:///etc/passwd">',
        '<link rel="attachment" href="file:///etc/passwd">',
        f'<img src="http://127.0.0.1:{port}/x">',
        f"<style>@import url(http://127.0.0.1:{port}/y);</style>",
        f'<svg xmlns="http://www.w3.org/2000/svg"><image href="http://127.0.0.1:{port}/z"/></svg>',
    ]


def test_hostile_names_are_printed_as_text_and_fetch_nothing(render, listener):
    """The hub can print any name a learner types: markup shows as text and never reads files or the network."""
    port = listener.server_address[1]
    for hostile in hostile_inputs(port):
        path = render(bulgarian(learner_name=hostile, course_title=hostile))
        assert compact(pdf_text(path)).count(compact(hostile)) == 2, hostile
        with pikepdf.open(path) as pdf:
            assert list(pdf.attachments) == ["credential.json"]
            assert len(pdf.pages) == 1
    path = render(english(learner_name=hostile_inputs(port)[1]), attachments=())
    with pikepdf.open(path) as pdf:
        assert len(pdf.attachments) == 0
    assert listener.requests == []
    # The listener does notice requests: the zero above means something.
    urllib.request.urlopen(f"http://127.0.0.1:{port}/control", timeout=5).read()
    assert listener.requests == ["/control"]


def test_url_fetcher_stops_raw_markup_too(app, listener):
    """Even if markup ever reached WeasyPrint unescaped, the hub's server would read no file and call no URL."""
    import weasyprint

    port = listener.server_address[1]
    static = Path(app.static_folder)
    html = "".join(hostile_inputs(port)) + f'<p style="background: url(http://127.0.0.1:{port}/bg)">x</p>'
    data = weasyprint.HTML(string=html, base_url=static.as_uri() + "/", url_fetcher=make_url_fetcher(static)).write_pdf(
        pdf_variant="pdf/a-3b"
    )
    assert listener.requests == []
    with pikepdf.open(io.BytesIO(data)) as pdf:
        assert len(pdf.attachments) == 0


def test_url_fetcher_serves_only_the_static_folder(app):
    """The renderer can load the hub's logo and signature and nothing else on the server."""
    static = Path(app.static_folder).resolve()
    qr = qr_svg_data_uri(VERIFY_URL)
    fetcher = make_url_fetcher(static, [qr])
    refused = [
        "file:///etc/passwd",
        "http://127.0.0.1:9/x",
        "https://example.org/logo.svg",
        "ftp://example.org/x",
        "/static/../config.py",
        "/static/%2e%2e/__init__.py",
        "/static/img/../../__init__.py",
        "/static/img",
        "/static/img/missing.svg",
        "/etc/passwd",
        "img/logo.svg",
        (static.parent / "__init__.py").as_uri(),
        "file://" + str(static) + "/../__init__.py",
        "data:text/plain,hello",
        "/static/%00",
    ]
    for url in refused:
        with pytest.raises(URLRefused):
            fetcher(url)

    logo = fetcher("/static/img/logo.svg")
    assert logo.read() == (static / "img" / "logo.svg").read_bytes()
    assert logo.content_type == "image/svg+xml"
    assert fetcher((static / "img" / "signature.svg").as_uri()).read().startswith(b"<svg")
    assert fetcher(qr).content_type == "image/svg+xml"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Мария Петрова Иванова", "Mariya-Petrova-Ivanova"),
        ("Киберхигиена за служители", "Kiberhigiena-za-sluzhiteli"),
        ("ЩАСТЛИВЕЦ Юлия Жекова", "SHTASTLIVETS-Yuliya-Zhekova"),
        ("Café Überall", "Cafe-Uberall"),
        ("../../etc/passwd", "etc-passwd"),
        ("a\r\nb", "a-b"),
        ('<script>alert("x")</script>', "script-alert-x-script"),
        ("", "certificate"),
        ("   ", "certificate"),
        ("...", "certificate"),
        ("日本語", "certificate"),
    ],
)
def test_safe_filename(text, expected):
    """A holder downloads a file whose name any system accepts and that cannot point anywhere else."""
    assert safe_filename(text) == expected


def test_safe_filename_is_short_and_plain():
    """Long course titles still give a download name browsers and mail systems keep intact."""
    name = safe_filename("Киберхигиена " * 30)
    assert len(name) <= 80
    assert re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]*", name)
    assert not name.endswith(("-", ".", "_"))


def test_threads_never_share_a_font_configuration(app):
    """The hub's server may render in two threads without WeasyPrint crashing on a shared font configuration."""
    from app.certificates.pdf import _renderer

    mine = _renderer()
    assert _renderer() is mine  # one per process and thread, created once
    other = []
    thread = threading.Thread(target=lambda: other.append(_renderer()))
    thread.start()
    thread.join()
    assert other[0] is not mine
    assert other[0].font_config is not mine.font_config
