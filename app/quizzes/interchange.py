"""Reading question banks from other systems: Moodle GIFT and Aiken, told apart by name and content."""

import re

from app.quizzes import aiken, gift

BankError = (gift.GiftError, aiken.AikenError)


def looks_like_aiken(name, data):
    """Aiken files are .txt with 'ANSWER: X' lines and no GIFT braces (a .aiken.txt name settles it)."""
    name = name.lower()
    if name.endswith(".aiken.txt"):
        return True
    if not name.endswith(".txt"):
        return False
    text = data.decode("utf-8", "replace") if isinstance(data, bytes) else data
    return bool(re.search(r"^ANSWER:\s*[A-Z]\s*$", text, re.MULTILINE)) and "{" not in text


def read_bank(name, data):
    """Question records of a GIFT or Aiken file; raises one of BankError with path:line messages."""
    reader = aiken.read_aiken if looks_like_aiken(name, data) else gift.read_gift
    return reader(data, name)
