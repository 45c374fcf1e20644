"""Certificates as Open Badges 3.0 credentials: the issuer profile, signed credentials, revocation list."""

import base64
import gzip
import hashlib
from datetime import UTC, datetime, time

from flask import current_app

from app.accounts.models import User
from app.certificates import codes, credentials, keys
from app.certificates.models import Certificate
from app.content.models import Course
from app.extensions import db
from app.links import external_url

CONTEXTS = ["https://www.w3.org/ns/credentials/v2", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"]
STATUS_LIST_BITS = 131072  # the minimum size the Bitstring Status List spec requires, for herd privacy
DIGCOMP_URL = "https://joint-research-centre.ec.europa.eu/digcomp_en"


def _iso(moment):
    return moment.replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")


def issuer_id():
    """The issuer's URL, which is also where its profile with public keys is published."""
    return external_url("certificates.issuer")


def key_id(number):
    """The verification method id of a key."""
    return f"{issuer_id()}#key-{number}"


def issuer_profile():
    """The issuer Profile with every public key ever used (old ones keep verifying)."""
    config = current_app.config
    methods = [{"id": key_id(number), "type": "Multikey", "controller": issuer_id(),
                "publicKeyMultibase": credentials.multibase_public_key(private.public_key())}
               for number, private in keys.all_keys()]
    return {"@context": [*CONTEXTS, "https://w3id.org/security/data-integrity/v1"], "id": issuer_id(),
            "type": ["Profile"], "name": config["HUB_NAME"], "url": config.get("HUB_URL") or config["SERVER_URL"],
            "email": config["CONTACT_EMAIL"], "verificationMethod": methods,
            "assertionMethod": [method["id"] for method in methods]}


def resolve_key(verification_method):
    """Our own keys by id; did:key ids from the id itself (other issuers: see resolve_key_offline)."""
    for number, private in keys.all_keys():
        if verification_method == key_id(number):
            return private.public_key()
    return credentials.did_key_resolver(verification_method)


def resolve_key_offline(verification_method):
    """Like resolve_key, and also a key written in the id's fragment (https://issuer/#z6Mk...).

    Without network access the issuer's profile cannot be fetched, so for such ids only the
    signature is checked, not that the key belongs to the issuer; verify-credential says so.
    """
    key = resolve_key(verification_method)
    fragment = verification_method.rpartition("#")[2]
    if key is None and fragment.startswith("z6Mk"):
        try:
            key = credentials.public_key_from_multibase(fragment)
        except ValueError:
            return None
    return key


def is_ours(verification_method):
    """True when the proof was made with one of our keys."""
    return any(verification_method == key_id(number) for number, _key in keys.all_keys())


def identity_hash(email, salt):
    """The learner is identified by a salted hash of the e-mail address, never the address itself."""
    return "sha256$" + hashlib.sha256((email.strip().lower() + salt).encode()).hexdigest()


def _salt(certificate):
    secret = current_app.config["SECRET_KEY"].encode()
    return hashlib.sha256(secret + b"badge-salt" + certificate.code.encode()).hexdigest()[:16]


def build(certificate):
    """The unsigned OpenBadgeCredential for a certificate."""
    user = db.session.get(User, certificate.user_id)
    course = db.session.get(Course, certificate.course_id)
    code = codes.formatted(certificate.code)
    document = {
        "@context": CONTEXTS, "id": external_url("certificates.verify", code=code),
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": {"id": issuer_id(), "type": ["Profile"], "name": current_app.config["HUB_NAME"]},
        "validFrom": _iso(certificate.issued_at), "name": certificate.course_title,
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "identifier": [{"type": "IdentityObject", "identityHash": identity_hash(user.email, _salt(certificate)),
                            "identityType": "emailAddress", "hashed": True, "salt": _salt(certificate)}],
            "achievement": _achievement(certificate, course),
        },
        "credentialStatus": {"id": f"{external_url('certificates.status_list')}#{certificate.id}",
                             "type": "BitstringStatusListEntry", "statusPurpose": "revocation",
                             "statusListIndex": str(certificate.id),
                             "statusListCredential": external_url("certificates.status_list")},
    }
    if certificate.valid_until:
        document["validUntil"] = _iso(datetime.combine(certificate.valid_until, time(23, 59, 59)))
    return document


def _achievement(certificate, course):
    hours = f"{certificate.hours:g}"
    achievement = {
        "id": external_url("learning.course", slug=course.slug) + f"#version-{certificate.version_id}",
        "type": ["Achievement"], "name": certificate.course_title, "achievementType": "Certificate",
        "description": f"{certificate.course_title} ({hours} h)", "inLanguage": certificate.language,
        "criteria": {"narrative": "Completed every lesson and passed every quiz of the course."},
    }
    if certificate.competences:
        achievement["alignment"] = [{"type": ["Alignment"], "targetName": name, "targetUrl": DIGCOMP_URL,
                                     "targetFramework": "DigComp 2.2"} for name in certificate.competences]
    return achievement


def signed(certificate):
    """The credential signed with the current key (eddsa-rdfc-2022)."""
    number, private = keys.current_key()
    return credentials.sign(build(certificate), private, key_id(number), _iso(datetime.now(UTC)))


def status_list_credential():
    """A signed BitstringStatusListCredential in which revoked certificates have their bit set."""
    bits = bytearray(STATUS_LIST_BITS // 8)
    revoked = db.session.scalars(db.select(Certificate.id).where(Certificate.state == "revoked"))
    for index in revoked:
        if index < STATUS_LIST_BITS:
            bits[index // 8] |= 0x80 >> (index % 8)
    encoded = "u" + base64.urlsafe_b64encode(gzip.compress(bytes(bits), mtime=0)).decode().rstrip("=")
    number, private = keys.current_key()
    document = {"@context": ["https://www.w3.org/ns/credentials/v2"], "id": external_url("certificates.status_list"),
                "type": ["VerifiableCredential", "BitstringStatusListCredential"],
                "issuer": issuer_id(), "validFrom": _iso(datetime.now(UTC)),
                "credentialSubject": {"id": external_url("certificates.status_list") + "#list",
                                      "type": "BitstringStatusList", "statusPurpose": "revocation",
                                      "encodedList": encoded}}
    return credentials.sign(document, private, key_id(number), _iso(datetime.now(UTC)))


def is_revoked_in_list(list_credential, index):
    """Read one bit of a status list credential (used by verify-credential and the tests)."""
    encoded = list_credential["credentialSubject"]["encodedList"][1:]
    bits = gzip.decompress(base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4)))
    return bool(bits[index // 8] & (0x80 >> (index % 8)))
