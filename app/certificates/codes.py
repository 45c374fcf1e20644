"""Verification codes: 100 random bits in Crockford Base32, grouped for reading aloud and typing.

Crockford's alphabet leaves out I, L, O and U, so a code read from paper can be typed in any
case and with the usual confusions (O for 0, I or L for 1) and still be found.
"""

import re
import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
LENGTH = 20  # 20 characters × 5 bits = 100 bits
GROUP = 4
_CONFUSABLE = str.maketrans({"O": "0", "I": "1", "L": "1"})
_SEPARATORS = re.compile(r"[\s\-_.]+")


def new_code():
    """A fresh random code in canonical form (no separators), e.g. 7Q2K9XRT..."""
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def normalise(text):
    """The canonical form of a typed code, or None if it cannot be one."""
    if not isinstance(text, str) or len(text) > 64:
        return None
    code = _SEPARATORS.sub("", text).upper().translate(_CONFUSABLE)
    if len(code) != LENGTH or any(ch not in ALPHABET for ch in code):
        return None
    return code


def formatted(code):
    """The code in groups of four, as printed: 7Q2K-9XRT-...."""
    return "-".join(code[i:i + GROUP] for i in range(0, len(code), GROUP))
