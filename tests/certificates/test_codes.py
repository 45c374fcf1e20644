"""Certificate codes: enough randomness, and forgiving of how people type them."""

import math

from app.certificates import codes


def test_codes_carry_at_least_100_random_bits():
    """A code cannot be guessed: 20 Crockford characters give 100 bits, and codes do not repeat."""
    assert codes.LENGTH * math.log2(len(codes.ALPHABET)) >= 100
    generated = {codes.new_code() for _ in range(2000)}
    assert len(generated) == 2000
    assert all(len(code) == 20 and set(code) <= set(codes.ALPHABET) for code in generated)


def test_printed_form_groups_by_four():
    """The printed code is easy to read aloud."""
    assert codes.formatted("ABCDEFGHJKMNPQRSTVWX") == "ABCD-EFGH-JKMN-PQRS-TVWX"


def test_typed_codes_are_forgiving():
    """Lower case, spaces, missing hyphens and O/0, I/L/1 confusions all find the same code."""
    code = "0123ABCD1EFG0HJK1MNP"
    typed_forms = ("0123-abcd-1efg-0hjk-1mnp", "O123 ABCD IEFG OHJK LMNP", "o123abcdlefgohjkimnp",
                   " 0123.ABCD.1EFG.0HJK.1MNP ")
    for typed in typed_forms:
        assert codes.normalise(typed) == code


def test_impossible_codes_are_rejected():
    """Wrong length, letters outside the alphabet and hostile input give None, never an error."""
    for typed in ("", "ABC", "U" * 20, "0123-ABCD-1EFG-0HJK-1MN", "<script>alert(1)</script>", "x" * 5000, None, 42):
        assert codes.normalise(typed) is None
