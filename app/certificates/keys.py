"""The issuer's Ed25519 signing keys: files in the instance folder (mode 0600), never in the database.

Rotating adds a new key that signs from then on; old keys stay published on /issuer so that
credentials signed with them still verify.
"""

import contextlib
import os
import secrets
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from flask import current_app


def key_folder():
    """Where the keys live (KEYS_FOLDER, default instance/keys)."""
    return Path(current_app.config.get("KEYS_FOLDER") or Path(current_app.instance_path) / "keys")


def _key_files():
    return sorted(key_folder().glob("ed25519-*.pem"))


def rotate():
    """Create a new signing key and return its number."""
    return _create_key(len(_key_files()) + 1)


def _create_key(number):
    folder = key_folder()
    folder.mkdir(parents=True, exist_ok=True)
    os.chmod(folder, 0o700)
    path = folder / f"ed25519-{number:04d}.pem"
    pem = Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    # Written in full under a private name, then linked into place: another process (a bulk render
    # worker) never reads half a key, and two processes creating the same number cannot both win.
    temporary = folder / f".ed25519-{os.getpid()}-{secrets.token_hex(4)}.tmp"
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(pem)
        os.link(temporary, path)  # raises FileExistsError if that number was taken meanwhile
    finally:
        temporary.unlink(missing_ok=True)
    return number


def all_keys():
    """[(number, private key)] oldest first; creates the first key when there is none."""
    files = _key_files()
    if not files:
        with contextlib.suppress(FileExistsError):  # another process made the first key at the same moment
            _create_key(1)
        files = _key_files()
    keys = []
    for path in files:
        number = int(path.stem.split("-")[1])
        keys.append((number, serialization.load_pem_private_key(path.read_bytes(), password=None)))
    return keys


def current_key():
    """(number, private key) of the newest key, used for signing."""
    return all_keys()[-1]
