"""Bitstring Status List encoding (W3C Bitstring Status List v1.0, pure functions).

The bitstring is gzip-compressed and written as multibase base64url without padding
(prefix ``u``); bit 0 is the most significant bit of the first byte.
"""

from __future__ import annotations

import base64
import gzip
from collections.abc import Iterable

# 131,072 bits = 16 KiB, the minimum the specification sets so that one credential hides
# among many (herd privacy).
LIST_BITS = 131_072


def encode(set_indices: Iterable[int], *, size: int = LIST_BITS) -> str:
    """The ``encodedList`` of a list of `size` bits where `set_indices` are 1."""
    bits = bytearray(size // 8)
    for index in set_indices:
        if not 0 <= index < size:
            raise ValueError(f"status index {index} is outside the list")
        bits[index // 8] |= 0x80 >> (index % 8)
    compressed = gzip.compress(bytes(bits), mtime=0)
    return "u" + base64.urlsafe_b64encode(compressed).decode("ascii").rstrip("=")


def decode(encoded: str) -> bytes:
    """The raw bitstring of an ``encodedList``."""
    if not encoded.startswith("u"):
        raise ValueError("encodedList must be multibase base64url (prefix 'u')")
    data = encoded[1:]
    return gzip.decompress(base64.urlsafe_b64decode(data + "=" * (-len(data) % 4)))


def bit_is_set(bitstring: bytes, index: int) -> bool:
    return bool(bitstring[index // 8] & (0x80 >> (index % 8)))
