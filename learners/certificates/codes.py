"""Verification codes: random, typeable, unambiguous (pure functions)."""

from __future__ import annotations

import secrets

# Crockford's base32: no I, L, O or U, so nothing on paper can be misread.
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


CODE_LENGTH = 28  # 28 x 5 bits = 140 bits from the OS's CSPRNG (the issue asks for >= 128)


GROUP = 4


_READ_AS = {"O": "0", "I": "1", "L": "1"}


_IGNORED = {"-", " ", "\t", "\n", "\u2010", "\u2011", "\u2013", "\u2014", "."}


def generate_code() -> str:
    """A new code in its stored (normalised) form."""
    return "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))


def format_code(code: str) -> str:
    """The form people read and type: XXXX-XXXX-…"""
    return "-".join(code[i : i + GROUP] for i in range(0, len(code), GROUP))


def normalise_code(raw: str) -> str | None:
    """What a person typed, as stored; None when it cannot be a code at all.

    Case, dashes and spaces do not matter; O reads as 0, I and L as 1.
    """
    if not raw or len(raw) > CODE_LENGTH * 3:
        return None
    chars = []
    for char in raw.upper():
        if char in _IGNORED:
            continue
        char = _READ_AS.get(char, char)
        if char not in ALPHABET:
            return None
        chars.append(char)
    code = "".join(chars)
    return code if len(code) == CODE_LENGTH else None
