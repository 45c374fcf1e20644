"""Fingerprinted static URLs: `?v=<content hash>`, so browsers and proxies may keep them for a year.

Every `url_for("static", ...)` gets the first 12 hex digits of the file's SHA-256; a new release that
changes a file changes its URL. A request that carries the current fingerprint is answered with a
one-year immutable cache lifetime; any other keeps Flask's default (revalidate).
"""

import hashlib
import os

from flask import request
from werkzeug.security import safe_join

YEAR = 365 * 24 * 3600


def register(app):
    """Add the fingerprint to static URLs and the long cache lifetime to fingerprinted requests."""
    fingerprints = {}  # (path, mtime) -> fingerprint; a changed file (in development) is hashed again

    def fingerprint(filename):
        path = safe_join(app.static_folder, filename)
        if path is None or not os.path.isfile(path):
            return None
        key = (path, os.stat(path).st_mtime_ns)
        if key not in fingerprints:
            with open(path, "rb") as file:
                fingerprints[key] = hashlib.sha256(file.read()).hexdigest()[:12]
        return fingerprints[key]

    @app.url_defaults
    def add_fingerprint(endpoint, values):
        if endpoint == "static" and "filename" in values and "v" not in values:
            version = fingerprint(values["filename"])
            if version:
                values["v"] = version

    @app.after_request
    def cache_fingerprinted(response):
        version = request.args.get("v") if request.endpoint == "static" else None
        if version and response.status_code == 200 and version == fingerprint(request.view_args["filename"]):
            response.cache_control.public = True
            response.cache_control.max_age = YEAR
            response.cache_control.immutable = True
            response.cache_control.no_cache = None
        return response
