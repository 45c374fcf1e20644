"""Open Badges 3.0 credentials with eddsa-rdfc-2022 Data Integrity proofs, against the published vector and fixtures."""

import copy
import json
import socket
from datetime import UTC, datetime
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from app.certificates.credentials import (
    VerificationResult,
    base58_decode,
    base58_encode,
    check_proofs,
    check_schema,
    check_validity_period,
    did_key_resolver,
    hash_data,
    multibase_public_key,
    proof_configuration,
    public_key_from_multibase,
    sign,
    verify,
)
from app.certificates.jsonld import (
    CanonicalizationError,
    ContextNotAvailableError,
    DataLossError,
    canonicalize,
    offline_loader,
)

DATA = Path(__file__).parents[1] / "data" / "ob3"
NOW = datetime(2026, 1, 1, tzinfo=UTC)
TEST_MULTIKEY = "z6MkjZRZv3aez3r18pB1RBFJR1kwUVJ5jHt92JmQwXbd5hwi"
OTHER_MULTIKEY = "z6MkrvfzkMnvCroEUP2DVc9SHPE48CRsvHiVSusHioxTYu1x"  # named by simple-err-proof-value.json
EXTENSIONS_CONTEXT = "https://purl.imsglobal.org/spec/ob/v3p0/extensions.json"


def _load(name: str) -> dict:
    return json.loads((DATA / name).read_text(encoding="utf-8"))


def _fixture(name: str) -> dict:
    return _load(f"validator-fixtures/{name}.json")


KEYPAIR = _load("spec/testvector-keypair.TEST-ONLY.json")
SIGNED_VECTOR = _load("spec/testvector-signed-eddsa-rdfc-2022.json")
TEST_PRIVATE_KEY = Ed25519PrivateKey.from_private_bytes(bytes.fromhex(KEYPAIR["privateKeyHex_seed32_plus_pub32"])[:32])

# Stands in for the issuers' controller documents that a real verifier would dereference.
ISSUER_KEYS = {
    f"https://example.edu/issuers/565049#{TEST_MULTIKEY}": public_key_from_multibase(TEST_MULTIKEY),
    f"https://example.com/issuers/876543#{TEST_MULTIKEY}": public_key_from_multibase(TEST_MULTIKEY),
    f"https://example.com/issuers/876543#{OTHER_MULTIKEY}": public_key_from_multibase(OTHER_MULTIKEY),
}


def resolve(verification_method: str):
    return ISSUER_KEYS.get(verification_method) or did_key_resolver(verification_method)


def _unsigned(document: dict) -> dict:
    return {key: value for key, value in document.items() if key != "proof"}


@pytest.fixture(autouse=True)
def _no_network(monkeypatch):
    """Any socket connection or DNS lookup during these tests is a failure."""

    def refuse(*args, **kwargs):
        raise AssertionError("network access attempted")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


# --- the published test vector -------------------------------------------------------------------------------------


def test_published_key_pair_round_trips_through_multikey():
    """Issuers publish their key as a 'z6Mk…' Multikey that any verifier decodes to the same Ed25519 key."""
    public_key = TEST_PRIVATE_KEY.public_key()
    assert public_key.public_bytes_raw().hex() == KEYPAIR["publicKeyHex"]
    assert multibase_public_key(public_key) == KEYPAIR["publicKeyMultibase"]
    assert public_key_from_multibase(KEYPAIR["publicKeyMultibase"]).public_bytes_raw() == public_key.public_bytes_raw()
    assert base58_decode(base58_encode(b"\0\0\x01\xff")) == b"\0\0\x01\xff"
    with pytest.raises(ValueError):
        public_key_from_multibase("z" + base58_encode(b"\xec\x01" + bytes(32)))  # X25519 prefix, not Ed25519


def test_canonical_nquads_equal_the_published_rdfc_1_0_output():
    """pyld's URDNA2015 yields byte-identical RDFC-1.0 N-Quads, so other verifiers hash exactly what we hash."""
    document = _unsigned(SIGNED_VECTOR)
    config = proof_configuration(document, SIGNED_VECTOR["proof"])
    assert canonicalize(document) == (DATA / "spec/testvector-document-canon.nq").read_text(encoding="utf-8")
    assert canonicalize(config) == (DATA / "spec/testvector-proof-canon.nq").read_text(encoding="utf-8")


def test_data_to_sign_equals_the_published_intermediate_values():
    """The signed bytes are SHA-256(proof config) ‖ SHA-256(document), as every eddsa-rdfc-2022 verifier computes."""
    expected = KEYPAIR["intermediate_values"]["data_to_sign_hex (proofHash || documentHash)"]
    assert hash_data(SIGNED_VECTOR, SIGNED_VECTOR["proof"]).hex() == expected


def test_sign_reproduces_the_published_proof_byte_for_byte():
    """Our signer is interoperable: signing the vector's document yields exactly the published proofValue."""
    proof = SIGNED_VECTOR["proof"]
    signed = sign(_unsigned(SIGNED_VECTOR), TEST_PRIVATE_KEY, proof["verificationMethod"], proof["created"])
    assert signed["proof"]["proofValue"] == KEYPAIR["intermediate_values"]["proofValue (base58btc multibase 'z')"]
    assert signed == SIGNED_VECTOR
    assert "proof" not in _unsigned(SIGNED_VECTOR)  # the input was copied, not modified


# --- verifying published credentials -------------------------------------------------------------------------------


def test_verify_accepts_the_signed_test_vector():
    """A credential signed by another implementation verifies here."""
    assert verify(SIGNED_VECTOR, resolve, now=NOW) == VerificationResult(ok=True, reason="ok")


@pytest.mark.parametrize("name", ["simple", "simple-multiple-proofs", "simple-did-key-method", "simple-context-alias",
                                  "simple-context-version"])
def test_verify_accepts_the_validator_fixtures(name):
    """Credentials the 1EdTech validator accepts are accepted, even next to a proof type we do not know."""
    result = verify(_fixture(name), resolve, now=NOW)
    assert result.ok, result.reason


def test_did_key_fixture_verifies_with_the_shipped_extensions_context():
    """The validator fixture signed with a did:key uses the OB extensions context, which we ship offline."""
    document = _fixture("simple-did-key-method")
    assert EXTENSIONS_CONTEXT in document["@context"]
    assert multibase_public_key(did_key_resolver(document["proof"][0]["verificationMethod"])) == TEST_MULTIKEY
    result = verify(document, resolve, now=NOW)
    assert result.ok, result.reason


def test_an_unknown_context_is_refused_never_fetched():
    """A context we do not ship makes the credential unverifiable here, with the reason."""
    document = _fixture("simple-did-key-method")
    document["@context"] = [*document["@context"], "https://example.org/unknown-context.jsonld"]
    result = verify(document, resolve, now=NOW)
    assert not result.ok and "https://example.org/unknown-context.jsonld" in result.reason


@pytest.mark.parametrize(
    ("name", "reason", "schema_problem"),
    [
        ("simple-err-type", "schema", "$.type: "),
        ("simple-err-context", "schema", "$['@context'][0]: "),
        ("simple-err-issuer", "schema", "$: 'issuer' is a required property"),
        ("simple-err-issued", "schema", "$.credentialSubject: 'achievement' is a required property"),
        ("simple-err-issuer-type", "schema", "$.issuer.type: "),
        ("simple-err-credential-subject-type", "schema", "$.credentialSubject.type: "),
        ("simple-err-expired", "expired", None),
        ("simple-err-proof-value", "bad signature", None),
        ("simple-err-proof-method", "unknown verification method", None),
        ("simple-err-evidence-type", "canonicalization: undefined terms would be dropped: InvalidEvidence", None),
    ],
)
def test_verify_rejects_each_negative_fixture_for_its_reason(name, reason, schema_problem):
    """Each broken credential the 1EdTech validator rejects is rejected here too, with a reason the hub can show."""
    document = _fixture(name)
    result = verify(document, resolve, now=NOW)
    assert not result.ok
    assert result.reason.startswith(reason), result.reason
    if schema_problem:
        assert any(problem.startswith(schema_problem) for problem in check_schema(document)), check_schema(document)
    else:
        assert check_schema(document) == []


def test_issued_fixture_is_also_not_yet_valid():
    """A credential whose validFrom lies in the future is refused even if its schema and signature are fine."""
    document = _fixture("simple-err-issued")
    assert check_proofs(document, resolve, "assertionMethod", NOW) == ""
    assert check_validity_period(document, NOW) == "not yet valid"
    assert check_validity_period(document, datetime(2045, 1, 1, tzinfo=UTC)) == ""


def test_proof_sets_need_every_supported_proof_and_at_least_one():
    """Unknown proof types alone never pass, and a bad eddsa-rdfc-2022 proof is not excused by another proof."""
    document = _fixture("simple-multiple-proofs")
    only_unknown = {**document, "proof": [document["proof"][0]]}
    assert verify(only_unknown, resolve, now=NOW).reason == "unsupported proof type"
    assert verify(_unsigned(document), resolve, now=NOW).reason == "no proof"
    good = document["proof"][1]
    broken = {**good, "proofValue": _fixture("simple-err-proof-value")["proof"][0]["proofValue"]}
    assert verify({**document, "proof": [good, broken]}, resolve, now=NOW).reason == "bad signature"
    assert verify({**document, "proof": [document["proof"][0], broken]}, resolve, now=NOW).reason == "bad signature"
    assert verify({**document, "proof": [good, good]}, resolve, now=NOW).ok


# --- our own credentials -------------------------------------------------------------------------------------------


@pytest.fixture
def issued():
    """The spec's basic OpenBadgeCredential signed with a fresh key, with a resolver for that key."""
    private_key = Ed25519PrivateKey.generate()
    method = f"https://example.com/issuers/876543#{multibase_public_key(private_key.public_key())}"
    document = {**_load("spec/spec-basic-openbadgecredential.unsigned.json"), "validUntil": "2030-01-01T00:00:00Z"}
    signed = sign(document, private_key, method, "2025-06-01T12:00:00Z")
    return signed, {method: private_key.public_key()}.get


def test_fresh_key_round_trip_verifies(issued):
    """What the hub signs, a verifier accepts with the key published under the verificationMethod."""
    signed, resolver = issued
    assert verify(signed, resolver, now=NOW).ok
    assert verify(signed, did_key_resolver, now=NOW).reason == "unknown verification method"


def test_changing_one_character_of_the_subject_breaks_the_signature(issued):
    """A learner cannot edit the awarded achievement without the signature failing."""
    signed, resolver = issued
    tampered = copy.deepcopy(signed)
    achievement = tampered["credentialSubject"]["achievement"]
    achievement["name"] = achievement["name"][:-1] + "X"
    assert verify(tampered, resolver, now=NOW).reason == "bad signature"


def test_validity_window_is_enforced(issued):
    """Before validFrom a credential is 'not yet valid', from validUntil on it is 'expired'."""
    signed, resolver = issued
    assert verify(signed, resolver, now=datetime(2009, 12, 31, tzinfo=UTC)).reason == "not yet valid"
    assert verify(signed, resolver, now=datetime(2030, 1, 1, tzinfo=UTC)).reason == "expired"


def test_sign_refuses_data_that_would_not_be_signed():
    """The hub never issues a credential with terms JSON-LD would silently drop from the signed data."""
    document = {**_load("spec/spec-basic-openbadgecredential.unsigned.json"), "nickname": "not in any context"}
    with pytest.raises(DataLossError, match="nickname"):
        sign(document, TEST_PRIVATE_KEY, f"did:key:{TEST_MULTIKEY}#{TEST_MULTIKEY}", "2025-06-01T12:00:00Z")


def test_did_key_resolver_only_accepts_consistent_did_key_urls():
    """did:key URLs resolve from the DID itself; anything else is left to other resolvers."""
    assert multibase_public_key(did_key_resolver(f"did:key:{TEST_MULTIKEY}#{TEST_MULTIKEY}")) == TEST_MULTIKEY
    assert did_key_resolver(f"did:key:{TEST_MULTIKEY}#{OTHER_MULTIKEY}") is None
    assert did_key_resolver(f"did:web:example.com#{TEST_MULTIKEY}") is None
    assert did_key_resolver("did:key:z6MkjZRsdasZv3aez3r18pB1RBFJR1kwUVJ5jHt92JmQwXbd5hwi") is None


# --- offline document loader ---------------------------------------------------------------------------------------


def test_document_loader_serves_shipped_contexts_and_refuses_anything_else():
    """Verification never reaches the network: unknown context URLs fail fast with a clear error."""
    assert offline_loader("https://www.w3.org/ns/credentials/v2")["document"]["@context"]["@protected"] is True
    with pytest.raises(ContextNotAvailableError, match="not available offline"):
        offline_loader("https://example.com/contexts/evil.jsonld")
    document = {**_unsigned(SIGNED_VECTOR), "@context": [*SIGNED_VECTOR["@context"], "https://example.com/x.jsonld"]}
    with pytest.raises(CanonicalizationError, match=r"https://example\.com/x\.jsonld"):
        canonicalize(document)
