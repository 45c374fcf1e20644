"""Absolute links for e-mails, QR codes and credentials, built from SERVER_URL.

Never from the request's Host header, which an attacker controls (reset-link poisoning),
and usable outside requests (CLI commands, background jobs).
"""

from urllib.parse import urlsplit

from flask import current_app


def external_url(endpoint, **values):
    """The absolute URL of `endpoint` under the configured SERVER_URL."""
    base = urlsplit(current_app.config["SERVER_URL"])
    adapter = current_app.url_map.bind(
        base.netloc, script_name=base.path.rstrip("/") or "/", url_scheme=base.scheme or "https"
    )
    return adapter.build(endpoint, values, force_external=True)


def site_path(endpoint, **values):
    """The path of `endpoint` on this site, built without a request (used when rendering at import)."""
    return current_app.url_map.bind("localhost").build(endpoint, values)
