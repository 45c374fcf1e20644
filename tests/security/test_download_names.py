"""Download names built from user text (course titles, learner names, file names) cannot inject headers
or leave the download folder (ASVS 5.0 V1.2 output encoding; V5.3 file download)."""

import pytest

from app.tabular import content_disposition, csv_bytes, safe_cell

HOSTILE_NAMES = [
    'report.csv"\r\nSet-Cookie: session=evil',
    "../../etc/passwd",
    "..\\..\\windows\\system32.csv",
    'a";filename*=UTF-8\'\'evil.exe',
    "Отчет за Община Пловдив 2027.csv",
    "\x00\x07bell.csv",
    "",
]


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_content_disposition_is_one_safe_header_line(name):
    header = content_disposition(name)
    assert "\r" not in header and "\n" not in header and "\x00" not in header
    fallback = header.split('filename="', 1)[1].split('"', 1)[0]
    assert fallback and all(ch.isascii() and (ch.isalnum() or ch in "-_.") for ch in fallback)
    assert "/" not in fallback and "\\" not in fallback
    encoded = header.split("filename*=UTF-8''", 1)[1]
    assert all(ch.isascii() and ch not in ' "\r\n;' for ch in encoded)


@pytest.mark.parametrize("value", ["=1+1", "+1", "-1", "@SUM(A1)", "\t=1", "\r=1", '=HYPERLINK("http://x")'])
def test_formula_like_text_is_neutralised(value):
    assert safe_cell(value) == "'" + value
    assert csv_bytes(["h"], [[value]]).decode("utf-8-sig").splitlines()[1].lstrip('"').startswith("'")


def test_numbers_stay_numbers():
    assert safe_cell(-1) == -1 and safe_cell(2.5) == 2.5
