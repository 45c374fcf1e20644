"""Certificate PDFs: A4 landscape, PDF/A-3b, in the course's language, with the credential attached.

`render_pdf(context, attachments)` must be called inside a Flask app context. WeasyPrint is imported on
the first render, not at app start (the import alone takes about half a second).

Threads: WeasyPrint's `FontConfiguration` must never be shared between threads (four threads sharing one
crashed with SIGSEGV every time). This module keeps one `FontConfiguration` and one `CSS` per process,
created lazily on first use, in a cache keyed by the process id *and* the thread id: a forked worker never
inherits its parent's objects and two threads never share one (4 threads × 15 renders, each with its own,
ran cleanly). Still prefer sync gunicorn workers or a process pool to many threads: each thread pays for
its own font configuration, and entries of finished threads stay in the cache (bounded by the pool size).

Nothing in the document can reach the network or the file system: the URL fetcher serves only files
inside the app's static folder and the data: URIs this module made for the render in progress.
"""

import base64
import mimetypes
import os
import re
import threading
import unicodedata
from pathlib import Path
from urllib.parse import unquote, unquote_to_bytes, urlsplit

import segno
from flask import current_app, render_template
from flask_babel import force_locale

TEMPLATE = "certificates/certificate.html"
CSS_PATH = Path(__file__).resolve().parent.parent / "static" / "css" / "certificate.css"
PDF_VARIANT = "pdf/a-3b"
# The credential is the source the PDF was rendered from (ISO 32000-2, 7.11.3: AFRelationship).
ATTACHMENT_RELATIONSHIP = "Source"
# Dates as a reader of each language expects them ("12 март 2025 г.", "12 March 2025").
DATE_FORMATS = {"bg": "long", "en": "d MMMM y"}

_renderers = {}  # (pid, thread id) -> _Renderer; see the module docstring
_fetcher_class = None


class URLRefused(ValueError):
    """The certificate's URL fetcher does not serve this URL (WeasyPrint logs it as a failed fetch)."""


# --- The URL fetcher -------------------------------------------------------------------------------


def make_url_fetcher(static_folder, data_uris=(), static_url_path="/static"):
    """A WeasyPrint URL fetcher serving only files inside `static_folder` and the given data: URIs.

    It accepts `/static/<path>` (the app's URL for a static file) and `file:` URLs; both must resolve
    (symlinks and `..` included) to a regular file inside the static folder. Anything else — other
    files, http(s), ftp, @import of a foreign stylesheet, unknown data: URIs — raises URLRefused, which
    WeasyPrint reports as a failed fetch and renders without.
    """
    global _fetcher_class
    if _fetcher_class is None:
        from weasyprint.urls import URLFetcher, URLFetcherResponse

        class StaticOnlyFetcher(URLFetcher):
            def __init__(self, static_folder, data_uris, static_url_path):
                super().__init__(allowed_protocols=(), allow_redirects=False, fail_on_errors=False)
                self.static_root = Path(static_folder).resolve()
                self.static_prefix = static_url_path.rstrip("/") + "/"
                self.data_uris = frozenset(data_uris)

            def fetch(self, url, headers=None):
                body, mime_type = _fetch_allowed(url, self.static_root, self.static_prefix, self.data_uris)
                return URLFetcherResponse(url, body, {"Content-Type": mime_type})

        _fetcher_class = StaticOnlyFetcher
    return _fetcher_class(static_folder, data_uris, static_url_path)


def _fetch_allowed(url, static_root, static_prefix, data_uris):
    """Return (bytes, mime type) for an allowed URL, or raise URLRefused."""
    if url.startswith("data:"):
        if url not in data_uris:
            raise URLRefused("data: URI not made by the certificate renderer")
        return _decode_data_uri(url)
    parts = urlsplit(url)
    if parts.scheme == "file" and parts.netloc in ("", "localhost"):
        path = Path(unquote(parts.path))
    elif not parts.scheme and not parts.netloc and parts.path.startswith(static_prefix):
        path = static_root / unquote(parts.path.removeprefix(static_prefix))
    else:
        raise URLRefused(f"not a static file of the app: {url[:200]}")
    try:
        resolved = path.resolve(strict=True)
    except (OSError, RuntimeError, ValueError) as exc:
        raise URLRefused(f"no such static file: {url[:200]}") from exc
    if not resolved.is_relative_to(static_root) or not resolved.is_file():
        raise URLRefused(f"outside the static folder: {url[:200]}")
    mime_type = mimetypes.guess_type(resolved.name)[0] or "application/octet-stream"
    return resolved.read_bytes(), mime_type


def _data_uri(data, mime_type):
    return f"data:{mime_type};base64,{base64.b64encode(data).decode('ascii')}"


def _decode_data_uri(uri):
    header, _, payload = uri.removeprefix("data:").partition(",")
    mime_type, *params = header.split(";")
    if "base64" in params:
        return base64.b64decode(payload), mime_type or "text/plain"
    return unquote_to_bytes(payload), mime_type or "text/plain"


# --- One font configuration and stylesheet per process (and thread) ---------------------------------


class _Renderer:
    """WeasyPrint, its FontConfiguration and the certificate CSS for one process and thread."""

    def __init__(self):
        import weasyprint
        from weasyprint.text.fonts import FontConfiguration

        self.weasyprint = weasyprint
        self.font_config = FontConfiguration()
        static_folder = CSS_PATH.parent.parent
        self.css = weasyprint.CSS(
            string=CSS_PATH.read_text(encoding="utf-8"),
            base_url=static_folder.as_uri() + "/",
            url_fetcher=make_url_fetcher(static_folder),
            font_config=self.font_config,
        )


def _renderer():
    key = (os.getpid(), threading.get_ident())
    renderer = _renderers.get(key)
    if renderer is None:
        renderer = _renderers[key] = _Renderer()
    return renderer


# --- Rendering ----------------------------------------------------------------------------------


def qr_svg_data_uri(text):
    """The QR code for `text` (error correction M, black on transparent, 4-module quiet zone) as SVG."""
    return segno.make(text, error="m", micro=False).svg_data_uri(scale=1, border=4, dark="#000", light=None)


def render_html(context):
    """The certificate's HTML in the course's language (context keys as for render_pdf, plus QR URI)."""
    language = context["language"]
    with force_locale(language):
        return render_template(
            TEMPLATE,
            **context,
            date_format=DATE_FORMATS.get(language, "long"),
            logo_path=current_app.config.get("BRAND_LOGO") or "img/logo.svg",
        )


def render_pdf(context, attachments=()):
    """Render the certificate described by `context` to PDF/A-3b bytes.

    context: learner_name, course_title, language ("bg"/"en"), hours (float), competences (list of str),
    completed_on, issued_on (dates), valid_until (date or None), code (formatted), verify_url (absolute),
    issuer_name, signatory_name, signatory_title, platform_name.
    attachments: (filename, bytes, mime type) tuples, embedded as PDF/A-3 associated files with the
    relationship "Source" (e.g. ("credential.json", data, "application/json")).
    Call inside a Flask app context; see the module docstring about threads.
    """
    renderer = _renderer()
    weasyprint = renderer.weasyprint
    qr_uri = qr_svg_data_uri(context["verify_url"])
    html = render_html({**context, "qr_data_uri": qr_uri})

    attachment_uris = [(name, _data_uri(data, mime_type or "application/octet-stream"))
                       for name, data, mime_type in attachments]
    static_folder = Path(current_app.static_folder)
    fetcher = make_url_fetcher(
        static_folder, [qr_uri, *(uri for _, uri in attachment_uris)], current_app.static_url_path or "/static"
    )
    pdf_attachments = [
        weasyprint.Attachment(url=uri, url_fetcher=fetcher, name=name, relationship=ATTACHMENT_RELATIONSHIP)
        for name, uri in attachment_uris
    ]
    document = weasyprint.HTML(string=html, base_url=static_folder.resolve().as_uri() + "/", url_fetcher=fetcher)
    return document.write_pdf(
        stylesheets=[renderer.css],
        font_config=renderer.font_config,
        pdf_variant=PDF_VARIANT,
        pdf_tags=True,  # a tagged PDF: screen readers get the structure and the images' alt text
        attachments=pdf_attachments,
        finisher=_unique_associated_files,
    )


def _unique_associated_files(document, pdf):
    """WeasyPrint 70 lists each attachment twice in the catalogue's /AF array; keep one of each."""
    associated = pdf.catalog.get("AF")
    if associated:
        associated[:] = list(dict.fromkeys(associated))


# --- File names ---------------------------------------------------------------------------------

_BULGARIAN = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ж": "zh", "з": "z", "и": "i", "й": "y",
    "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u",
    "ф": "f", "х": "h", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "sht", "ъ": "a", "ь": "y", "ю": "yu", "я": "ya",
    "ѝ": "i",
}
_TRANSLITERATION = str.maketrans(
    {**_BULGARIAN, **{cyr.upper(): lat.capitalize() for cyr, lat in _BULGARIAN.items()}}
)
_WORD = re.compile(r"\w+")
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
_MAX_LENGTH = 80


def _transliterate_word(match):
    word = match[0]
    latin = word.translate(_TRANSLITERATION)
    return latin.upper() if len(word) > 1 and word.isupper() else latin  # ЩИТ → SHTIT, Щит → Shtit


def safe_filename(text, fallback="certificate"):
    """An ASCII file name stem for downloads: Bulgarian transliterated, only [A-Za-z0-9._-], ≤ 80 chars.

    "Мария Иванова – Киберхигиена" → "Mariya-Ivanova-Kiberhigiena". Never empty (falls back to
    `fallback`), never starts with a dot or dash; the caller appends ".pdf".
    """
    ascii_text = _WORD.sub(_transliterate_word, str(text or ""))
    ascii_text = unicodedata.normalize("NFKD", ascii_text)
    ascii_text = ascii_text.encode("ascii", "ignore").decode("ascii")
    name = _UNSAFE.sub("-", ascii_text)
    name = re.sub(r"\.{2,}", ".", name)
    name = re.sub(r"-{2,}", "-", name)
    name = name.strip("._-")[:_MAX_LENGTH].rstrip("._-")
    return name or fallback
