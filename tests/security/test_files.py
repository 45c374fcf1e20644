"""Files: uploads are checked by content, archives cannot escape or explode, assets are served safely.

OWASP ASVS 5.0 V5.2 (file upload: size, content and type), V5.3 (file storage: no path traversal),
V3.4.4 (X-Content-Type-Options: nosniff), V3.2.1 (content type and disposition of served files).
Also covered in the feature suites: zip bombs, lying size headers, too many files, path traversal and
symlinks in tests/content/test_package.py.
"""

import io
import struct
import zipfile
import zlib

import pytest

from app.content import validator
from app.content.models import Course, CourseVersion
from app.content.package import read_folder
from app.extensions import db
from tests.content import packages
from tests.helpers import csrf_token_from


def _png():
    """A real one-pixel PNG."""
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00"))
            + chunk(b"IEND", b""))


def _problems(bare_app, tmp_path, **assets):
    files = packages.files(**{f"assets__{name.replace('.', '_dot_')}": data for name, data in assets.items()})
    package = read_folder(packages.write_folder(tmp_path, contents=files))
    problems = validator.all_problems(validator.validate_packages([package], set()))
    return [f"{problem.path}:{problem.line}: {problem.message}" for problem in problems]


GOOD = {
    "pixel.png": _png(), "photo.jpg": b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 20,
    "anim.gif": b"GIF89a\x01\x00\x01\x00\x00\x00\x00;", "pic.webp": b"RIFF\x1a\x00\x00\x00WEBPVP8 ",
    "doc.pdf": b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "data.csv": "име,град\nМария,Пловдив\n".encode(),
    "captions.vtt": b"WEBVTT\n\n00:00.000 --> 00:01.000\nHello\n",
    "drawing.svg": b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 4 4"><title>A square</title>'
                   b'<rect width="4" height="4"/></svg>',
    "sheet.xlsx": b"PK\x03\x04" + b"\x00" * 30,
}


def test_real_files_of_every_type_pass(bare_app, tmp_path):
    """Genuine images, documents, captions and drawings are accepted as they are."""
    assert _problems(bare_app, tmp_path, **GOOD) == []


DISGUISED = [
    ("photo.png", b"<html><script>alert(1)</script></html>", "not what its name says (image/png)"),
    ("photo.jpg", _png(), "not what its name says (image/jpeg)"),
    ("report.pdf", b"MZ\x90\x00\x03 this is a Windows program", "not what its name says (application/pdf)"),
    ("slides.pptx", b"<script>alert(1)</script>", "not what its name says"),
    ("notes.txt", b"\x00\x01binary\xff\xfe", "not UTF-8 text"),
    ("talk.mp4", b"<html>not a video</html>", "not what its name says (video/mp4)"),
    ("captions.vtt", b"<script>alert(1)</script>", "not UTF-8 text"),
]


@pytest.mark.parametrize(("name", "data", "message"), DISGUISED)
def test_a_file_is_judged_by_its_content_not_its_name(bare_app, tmp_path, name, data, message):
    """An HTML page or a program renamed to look like an image or document is refused, naming the file."""
    problems = _problems(bare_app, tmp_path, **{name: data})
    assert len(problems) == 1 and problems[0].startswith(f"cyber-hygiene/assets/{name}:1: ")
    assert message in problems[0]


HOSTILE_SVG = [
    (b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', "<script>"),
    (b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>', "event handler (onload)"),
    (b'<svg xmlns="http://www.w3.org/2000/svg"><rect onclick="alert(1)"/></svg>', "event handler (onclick)"),
    (b'<svg xmlns="http://www.w3.org/2000/svg"><foreignObject><p>x</p></foreignObject></svg>', "foreignObject"),
    (b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:x="http://www.w3.org/1999/xlink">'
     b'<a x:href="javascript:alert(1)"><text>x</text></a></svg>', "links to javascript:alert(1)"),
    (b'<svg xmlns="http://www.w3.org/2000/svg"><image href="https://tracker.example/p.png"/></svg>',
     "links to https://tracker.example"),
    (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>'
     b'<svg xmlns="http://www.w3.org/2000/svg"><text>&lol2;</text></svg>', "DOCTYPE"),
    (b'<html><body>not a drawing</body></html>', "not an SVG drawing"),
    (b'<svg xmlns="http://www.w3.org/2000/svg"><rect', "not well-formed"),
]


@pytest.mark.parametrize(("data", "message"), HOSTILE_SVG)
def test_svg_drawings_with_active_content_are_refused(bare_app, tmp_path, data, message):
    """SVG with scripts, event handlers, foreign HTML, outside links or entity expansion is refused."""
    problems = _problems(bare_app, tmp_path, **{"card.svg": data})
    assert len(problems) == 1 and problems[0].startswith("cyber-hygiene/assets/card.svg:1: ")
    assert message in problems[0]


def _import(app, tmp_path, **assets):
    from app.content import importer

    files = packages.files(**{f"assets__{name.replace('.', '_dot_')}": data for name, data in assets.items()})
    importer.import_packages([read_folder(packages.write_folder(tmp_path, contents=files))])
    db.session.commit()


@pytest.mark.parametrize(("name", "media_type", "disposition"), [
    ("pixel.png", "image/png", "inline"), ("drawing.svg", "image/svg+xml", "inline"),
    ("data.csv", "text/csv", "attachment"), ("sheet.xlsx", "application/vnd.openxmlformats", "attachment"),
])
def test_assets_are_served_with_their_checked_type_and_nosniff(app, client, tmp_path, name, media_type, disposition):
    """A course file is served with the type it was checked against, nosniff, a sandboxing CSP and
    inline display only for images, media and PDF."""
    _import(app, tmp_path, **{name: GOOD[name]})
    from app.content.models import Asset

    asset = db.session.scalar(db.select(Asset).where(Asset.path == f"assets/{name}"))
    response = client.get(f"/assets/{asset.sha256}/{name}")
    assert response.status_code == 200 and response.data == GOOD[name]
    assert response.headers["Content-Type"].startswith(media_type)
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response.headers["Content-Security-Policy"]
    assert response.headers["Content-Disposition"].startswith(disposition)


@pytest.mark.parametrize(("path", "media_type"), [("/static/css/academy.css", "text/css"),
                                                  ("/static/js/quiz.js", "text/javascript"),
                                                  ("/static/img/logo.svg", "image/svg+xml"),
                                                  ("/brand.css", "text/css")])
def test_static_files_have_their_type_and_nosniff(client, path, media_type):
    """The platform's own files are served with the right type and nosniff, so none is read as another."""
    response = client.get(path)
    assert response.status_code == 200
    assert response.headers["Content-Type"].split(";")[0] == media_type
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def _upload(client, data, filename="course.zip"):
    token = csrf_token_from(client.get("/trainer/upload").get_data(as_text=True))
    return client.post("/trainer/upload", data={"csrf_token": token, "package": (io.BytesIO(data), filename)},
                       content_type="multipart/form-data")


def _zip(entries):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries:
            archive.writestr(name, data)
    return buffer.getvalue()


@pytest.mark.parametrize(("data", "message"), [
    (_zip([("cyber-hygiene/course.md", packages.COURSE_MD), ("cyber-hygiene/assets/zeros.txt", b"\0" * (21 << 20))]),
     "zeros.txt"),
    (_zip([("cyber-hygiene/course.md", packages.COURSE_MD), ("../../etc/cron.d/evil", b"x")]), "evil"),
    (b"PK\x03\x04 truncated", ".zip"),
])
def test_hostile_archives_uploaded_in_the_studio_save_nothing(app, client, make_user, login, data, message):
    """A zip bomb, a path that climbs out of the package or a broken archive is refused with a clear
    message naming the file, and no course row is written."""
    login(make_user(role="trainer"))
    response = _upload(client, data)
    assert response.status_code in (200, 400, 422)
    assert message in response.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(Course.id))) == 0
    assert db.session.scalar(db.select(db.func.count(CourseVersion.id))) == 0


def test_an_oversized_upload_is_refused_before_it_is_read(app, client, make_user, login):
    """A request body over MAX_CONTENT_LENGTH gets the 413 page and nothing is saved."""
    login(make_user(role="trainer"))
    app.config["MAX_CONTENT_LENGTH"] = 200_000
    response = _upload(client, b"PK\x03\x04" + b"\0" * 300_000)
    assert response.status_code == 413
    assert "too large" in response.get_data(as_text=True).lower()
    assert db.session.scalar(db.select(db.func.count(Course.id))) == 0
