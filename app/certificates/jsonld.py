"""Offline JSON-LD for Data Integrity proofs: shipped contexts only, RDFC-1.0 canonical N-Quads, data-loss guard."""

import json
import re
from functools import cache
from pathlib import Path
from typing import Any

from pyld import jsonld

CONTEXT_DIR = Path(__file__).with_name("contexts")

# The only documents the loader serves, keyed by the URL a credential's @context names them by.
CONTEXT_FILES = {
    "https://www.w3.org/ns/credentials/v2": "w3c_credentials_v2.jsonld",
    "https://www.w3.org/2018/credentials/v1": "w3c_2018_credentials_v1.jsonld",
    "https://w3id.org/security/data-integrity/v1": "w3id_security_data-integrity_v1.jsonld",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json": "ob_v3p0_context-3.0.3.json",
    # Earlier versions, for verifying credentials that other issuers signed with them.
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.1.json": "ob_v3p0_context-3.0.1.json",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.2.json": "ob_v3p0_context-3.0.2.json",
    "https://purl.imsglobal.org/spec/ob/v3p0/extensions.json": "ob_v3p0_extensions.json",
}

# Appended to a document's contexts to catch terms and types that would otherwise be dropped silently.
_PROBE_VOCAB = "urn:x-cyber4all:undefined-term:"
_PROBE_IRI = re.compile(re.escape(_PROBE_VOCAB) + r"([^>\s]*)>")


class ContextNotAvailableError(LookupError):
    """A JSON-LD document was requested that is not shipped with the application (nothing is fetched)."""


class CanonicalizationError(ValueError):
    """The document could not be turned into canonical N-Quads; the message names the cause."""


class DataLossError(CanonicalizationError):
    """JSON-LD processing would drop data (undefined term or type), so it would not be signed (DATA_LOSS_DETECTION)."""


@cache
def _context_text(url: str) -> str:
    """Return the raw text of a shipped context."""
    return (CONTEXT_DIR / CONTEXT_FILES[url]).read_text(encoding="utf-8")


def offline_loader(url: str, options: dict | None = None) -> dict:
    """Serve a shipped context to pyld, or raise ContextNotAvailableError for any other URL."""
    if url not in CONTEXT_FILES:
        raise ContextNotAvailableError(f"JSON-LD document {url!r} is not available offline (not a shipped context)")
    return {"contextUrl": None, "documentUrl": url, "document": json.loads(_context_text(url))}


def _root_cause(error: BaseException) -> BaseException:
    """Follow pyld's chain of wrapped exceptions down to the original one."""
    while error.__cause__ is not None:
        error = error.__cause__
    return error


def _nquads(document: dict, algorithm: str | None) -> str:
    """Run pyld to_rdf (algorithm None) or normalize offline, translating its errors."""
    options: dict[str, Any] = {"format": "application/n-quads", "documentLoader": offline_loader}
    try:
        if algorithm is None:
            return jsonld.to_rdf(document, options)
        return jsonld.normalize(document, {**options, "algorithm": algorithm})
    except jsonld.JsonLdError as error:
        cause = _root_cause(error)
        raise CanonicalizationError(str(cause).splitlines()[0]) from error


def undefined_terms(document: dict) -> list[str]:
    """Names of properties and types that JSON-LD expansion would drop from this document."""
    contexts = document.get("@context", [])
    contexts = contexts if isinstance(contexts, list) else [contexts]
    probe = {**document, "@context": [*contexts, {"@vocab": _PROBE_VOCAB}]}
    return sorted(set(_PROBE_IRI.findall(_nquads(probe, None))))


def canonicalize(document: dict) -> str:
    """RDFC-1.0 canonical N-Quads of a JSON-LD document (pyld URDNA2015), refusing to drop data."""
    dropped = undefined_terms(document)
    if dropped:
        raise DataLossError(f"undefined terms would be dropped: {', '.join(dropped)}")
    return _nquads(document, "URDNA2015")
