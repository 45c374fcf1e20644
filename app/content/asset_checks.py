"""Course assets are checked by what they contain, not by the name they were given.

A file called `photo.png` that holds HTML, or an SVG drawing with a script in it, is refused when
the package is validated, so the platform never serves it under a trusted type.
"""

import re
import xml.etree.ElementTree as ET

from flask_babel import lazy_gettext as _l

SVG_NAMESPACE = "{http://www.w3.org/2000/svg}"
XLINK_HREF = "{http://www.w3.org/1999/xlink}href"
SVG_FORBIDDEN = {"script", "foreignObject", "iframe", "embed", "object", "handler", "listener"}
_DOCTYPE = re.compile(rb"<!DOCTYPE|<!ENTITY", re.IGNORECASE)


def _starts(*signatures):
    def check(data):
        return any(data.startswith(signature) for signature in signatures)
    return check


def _webp(data):
    return data[:4] == b"RIFF" and data[8:12] == b"WEBP"


def _mp4(data):
    return data[4:8] == b"ftyp"


def _mp3(data):
    return data.startswith(b"ID3") or (len(data) > 1 and data[0] == 0xFF and data[1] & 0xE0 == 0xE0)


def _text(data):
    if b"\x00" in data:
        return False
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _vtt(data):
    return _text(data) and data.lstrip(b"\xef\xbb\xbf").startswith(b"WEBVTT")


SIGNATURES = {
    "image/png": _starts(b"\x89PNG\r\n\x1a\n"),
    "image/jpeg": _starts(b"\xff\xd8\xff"),
    "image/gif": _starts(b"GIF87a", b"GIF89a"),
    "image/webp": _webp,
    "application/pdf": _starts(b"%PDF-"),
    "audio/mpeg": _mp3,
    "video/mp4": _mp4,
    "video/webm": _starts(b"\x1a\x45\xdf\xa3"),
    "text/vtt": _vtt,
    "text/csv": _text,
    "text/plain": _text,
}
OFFICE_TYPES = ("application/vnd.oasis.opendocument.", "application/vnd.openxmlformats-officedocument.")


def _svg_problem(data):
    """Why an SVG drawing is refused, or None: it must be plain SVG without scripts or event handlers."""
    if _DOCTYPE.search(data):
        return _l("the SVG file declares a DOCTYPE or entities; save it as plain SVG")
    try:
        root = ET.fromstring(data)  # noqa: S314 (no DTD: checked above)
    except ET.ParseError:
        return _l("the file is not a valid SVG drawing (it is not well-formed XML)")
    if root.tag != f"{SVG_NAMESPACE}svg":
        return _l("the file is not an SVG drawing (its root element is not <svg>)")
    for element in root.iter():
        name = element.tag.rsplit("}", 1)[-1]
        if name in SVG_FORBIDDEN:
            return _l("the SVG drawing contains <%(element)s>, which could run code; remove it", element=name)
        for attribute, value in element.attrib.items():
            local = attribute.rsplit("}", 1)[-1]
            if local.lower().startswith("on"):
                return _l("the SVG drawing has an event handler (%(attribute)s), which could run code; remove it",
                          attribute=local)
            if attribute in (XLINK_HREF, "href") and not value.strip().startswith(("#", "data:image/")):
                return _l("the SVG drawing links to %(target)s; embed images instead of linking out",
                          target=value.strip()[:80])
    return None


def content_problem(media_type, data):
    """Why the bytes do not match the type their name promises, or None when they do."""
    if media_type == "image/svg+xml":
        return _svg_problem(data)
    office = media_type.startswith(OFFICE_TYPES)
    if (data.startswith(b"PK\x03\x04") if office else SIGNATURES[media_type](data)):
        return None
    if media_type.startswith("text/"):
        return _l("the file is not UTF-8 text; save it as UTF-8")
    return _l("the file's content is not what its name says (%(type)s); export it again in that format",
              type=media_type)
