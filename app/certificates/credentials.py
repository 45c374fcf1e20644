"""Open Badges 3.0 credentials secured with W3C Data Integrity proofs, cryptosuite eddsa-rdfc-2022 (pure Python).

Signing and verification follow "Data Integrity EdDSA Cryptosuites v1.0" (eddsa-rdfc-2022): the proof
configuration (proof options without proofValue, with the document's @context) and the document without its proof
are canonicalised with RDFC-1.0, hashed with SHA-256, and Ed25519 signs SHA-256(proof config) ‖ SHA-256(document).
All JSON-LD processing is offline (see app.certificates.jsonld).
"""

import copy
import hashlib
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from jsonschema import Draft201909Validator
from jsonschema.exceptions import best_match
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT201909

from app.certificates.jsonld import CONTEXT_DIR, CanonicalizationError, canonicalize

PROOF_TYPE = "DataIntegrityProof"
CRYPTOSUITE = "eddsa-rdfc-2022"
SCHEMA_FILE = CONTEXT_DIR / "ob_v3p0_achievementcredential_schema.json"
ED25519_MULTICODEC = b"\xed\x01"
BASE58_ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
DID_KEY_PREFIX = "did:key:"
_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")
_MAX_MESSAGE = 200

KeyResolver = Callable[[str], Ed25519PublicKey | None]


@dataclass(frozen=True)
class VerificationResult:
    """Outcome of verify(): ok, and a short machine-friendly reason ("ok" when it succeeded)."""

    ok: bool
    reason: str


# --- base58btc and Multikey -----------------------------------------------------------------------------------------


def base58_encode(data: bytes) -> str:
    """Bitcoin base58 encoding (leading zero bytes become '1')."""
    number = int.from_bytes(data, "big")
    digits = []
    while number:
        number, remainder = divmod(number, 58)
        digits.append(BASE58_ALPHABET[remainder])
    zeros = len(data) - len(data.lstrip(b"\0"))
    return "1" * zeros + "".join(reversed(digits))


def base58_decode(text: str) -> bytes:
    """Inverse of base58_encode; raises ValueError on characters outside the alphabet."""
    number = 0
    for char in text:
        index = BASE58_ALPHABET.find(char)
        if index < 0:
            raise ValueError(f"invalid base58 character {char!r}")
        number = number * 58 + index
    zeros = len(text) - len(text.lstrip("1"))
    body = number.to_bytes((number.bit_length() + 7) // 8, "big")
    return b"\0" * zeros + body


def multibase_public_key(public_key: Ed25519PublicKey) -> str:
    """Multikey publicKeyMultibase of an Ed25519 key: 'z' + base58btc(0xed01 ‖ 32-byte key), i.e. 'z6Mk…'."""
    return "z" + base58_encode(ED25519_MULTICODEC + public_key.public_bytes_raw())


def public_key_from_multibase(text: str) -> Ed25519PublicKey:
    """Parse a 'z6Mk…' Multikey value; raises ValueError if it is not an Ed25519 public key."""
    if not text.startswith("z"):
        raise ValueError("publicKeyMultibase must use base58btc ('z' prefix)")
    raw = base58_decode(text[1:])
    if len(raw) != 34 or not raw.startswith(ED25519_MULTICODEC):
        raise ValueError("not an Ed25519 Multikey (expected 0xed01 + 32 bytes)")
    return Ed25519PublicKey.from_public_bytes(raw[2:])


def did_key_resolver(verification_method: str) -> Ed25519PublicKey | None:
    """Resolve 'did:key:z6Mk…' or 'did:key:z6Mk…#z6Mk…' to its Ed25519 key from the DID itself, else None."""
    if not verification_method.startswith(DID_KEY_PREFIX):
        return None
    did, _, fragment = verification_method.partition("#")
    identifier = did.removeprefix(DID_KEY_PREFIX)
    if fragment and fragment != identifier:
        return None
    try:
        return public_key_from_multibase(identifier)
    except ValueError:
        return None


# --- Data Integrity (eddsa-rdfc-2022) ------------------------------------------------------------------------------


def parse_datetime(value: object) -> datetime | None:
    """Parse an XML Schema dateTimeStamp (timezone required) as an aware datetime, or None if invalid."""
    if not isinstance(value, str) or not _DATETIME.match(value):
        return None
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        return None


def proof_configuration(document: dict, proof: dict) -> dict:
    """The proof options without proofValue, carrying the document's @context (Proof Configuration algorithm)."""
    options = {key: value for key, value in proof.items() if key != "proofValue"}
    return {**options, "@context": document["@context"]}


def hash_data(document: dict, proof: dict) -> bytes:
    """SHA-256(canonical proof configuration) ‖ SHA-256(canonical document without proof): the bytes signed."""
    unsecured = {key: value for key, value in document.items() if key != "proof"}
    config = canonicalize(proof_configuration(unsecured, proof))
    return hashlib.sha256(config.encode()).digest() + hashlib.sha256(canonicalize(unsecured).encode()).digest()


def sign(
    document: dict,
    private_key: Ed25519PrivateKey,
    verification_method: str,
    created: str,
    proof_purpose: str = "assertionMethod",
) -> dict:
    """Return a copy of the unsigned document with an eddsa-rdfc-2022 DataIntegrityProof added."""
    if "proof" in document or "@context" not in document:
        raise ValueError("sign() needs an unsigned JSON-LD document with an @context")
    if parse_datetime(created) is None:
        raise ValueError(f"created must be an XML Schema dateTimeStamp, got {created!r}")
    proof = {
        "type": PROOF_TYPE,
        "cryptosuite": CRYPTOSUITE,
        "created": created,
        "verificationMethod": verification_method,
        "proofPurpose": proof_purpose,
    }
    signature = private_key.sign(hash_data(document, proof))
    return {**copy.deepcopy(document), "proof": {**proof, "proofValue": "z" + base58_encode(signature)}}


# --- JSON Schema ---------------------------------------------------------------------------------------------------


@cache
def _schema_validator() -> Draft201909Validator:
    """Validator for the OB 3.0 AchievementCredential schema; $refs resolve inside the shipped file only."""
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    resource = Resource.from_contents(schema, default_specification=DRAFT201909)
    registry = Registry().with_resource(schema["$id"], resource)
    return Draft201909Validator(schema, registry=registry)


def check_schema(document: dict) -> list[str]:
    """Schema violations of an OpenBadgeCredential as '<json path>: <message>', in schema order (empty when valid)."""
    problems = []
    for error in _schema_validator().iter_errors(document):
        detail = best_match([error])
        message = detail.message if len(detail.message) <= _MAX_MESSAGE else detail.message[:_MAX_MESSAGE] + "…"
        problems.append(f"{detail.json_path}: {message}")
    return problems


# --- verification ---------------------------------------------------------------------------------------------------


def _as_list(value: object) -> list:
    """A JSON-LD value as a list (None → [])."""
    return [] if value is None else value if isinstance(value, list) else [value]


def _is_supported(proof: object) -> bool:
    """True for a DataIntegrityProof using eddsa-rdfc-2022."""
    return isinstance(proof, dict) and proof.get("type") == PROOF_TYPE and proof.get("cryptosuite") == CRYPTOSUITE


def _decode_proof_value(value: object) -> bytes | None:
    """The 64-byte signature in a 'z'-multibase proofValue, or None if malformed."""
    if not isinstance(value, str) or not value.startswith("z"):
        return None
    try:
        signature = base58_decode(value[1:])
    except ValueError:
        return None
    return signature if len(signature) == 64 else None


def _proof_shape_problem(document: dict, proof: dict, purpose: str, now: datetime) -> str:
    """Reason a supported proof is unusable before any cryptography, or ''."""
    if proof.get("proofPurpose") != purpose:
        return "unexpected proof purpose"
    if "created" in proof and parse_datetime(proof["created"]) is None:
        return "malformed proof: created"
    if "expires" in proof:
        expires = parse_datetime(proof["expires"])
        if expires is None:
            return "malformed proof: expires"
        if expires <= now:
            return "proof expired"
    expected = _as_list(proof.get("@context"))
    if expected and _as_list(document.get("@context"))[: len(expected)] != expected:
        return "malformed proof: @context"
    return ""


def _verify_proof(document: dict, proof: dict, resolve_key: KeyResolver, purpose: str, now: datetime) -> str:
    """Verify one eddsa-rdfc-2022 proof over the document; '' when valid, else the reason."""
    problem = _proof_shape_problem(document, proof, purpose, now)
    if problem:
        return problem
    if "@context" in proof:  # the proof's own @context then governs both canonicalisations (Verify Proof algorithm)
        document = {**document, "@context": proof["@context"]}
    method = proof.get("verificationMethod")
    public_key = resolve_key(method) if isinstance(method, str) else None
    if public_key is None:
        return "unknown verification method"
    signature = _decode_proof_value(proof.get("proofValue"))
    if signature is None:
        return "malformed proof: proofValue"
    try:
        public_key.verify(signature, hash_data(document, proof))
    except CanonicalizationError as error:  # includes undefined terms (DataLossError) and unavailable contexts
        return f"canonicalization: {error}"
    except InvalidSignature:
        return "bad signature"
    return ""


def check_proofs(document: dict, resolve_key: KeyResolver, purpose: str, now: datetime) -> str:
    """All eddsa-rdfc-2022 proofs must verify (other proof types are ignored if one does); '' when they do."""
    proofs = document.get("proof")
    if proofs is None:
        return "no proof"
    supported = [proof for proof in _as_list(proofs) if _is_supported(proof)]
    if not supported:
        return "unsupported proof type"
    for proof in supported:
        reason = _verify_proof(document, proof, resolve_key, purpose, now)
        if reason:
            return reason
    return ""


def check_validity_period(document: dict, now: datetime) -> str:
    """'not yet valid' before validFrom, 'expired' from validUntil on, '' inside the validity period."""
    bounds = {}
    for field in ("validFrom", "validUntil"):
        if field in document:
            bounds[field] = parse_datetime(document[field])
            if bounds[field] is None:
                return f"invalid {field}"
    if bounds.get("validFrom") and now < bounds["validFrom"]:
        return "not yet valid"
    if bounds.get("validUntil") and now >= bounds["validUntil"]:
        return "expired"
    return ""


def verify(
    document: dict,
    resolve_key: KeyResolver,
    now: datetime | None = None,
    proof_purpose: str = "assertionMethod",
) -> VerificationResult:
    """Check an OpenBadgeCredential: JSON schema, then its proofs, then its validity period at `now` (default: UTC)."""
    now = now or datetime.now(UTC)
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    problems = check_schema(document)
    if problems:
        return VerificationResult(False, f"schema: {problems[0]}")
    reason = check_proofs(document, resolve_key, proof_purpose, now) or check_validity_period(document, now)
    return VerificationResult(not reason, reason or "ok")
