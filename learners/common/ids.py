"""Database ids that arrive from outside (a URL path, a query string) and the bounds they obey.

Every primary key here is a signed 64-bit integer (BigAutoField; Wagtail's page ids are 32-bit
but the database compares them as integers). A larger number is not an id at all: SQLite raises
OverflowError on it and PostgreSQL an out-of-range error, so it must be refused before a query.
"""

from __future__ import annotations

MAX_ID = 2**63 - 1

# 19 digits hold every value up to MAX_ID; to_python below refuses the few 19-digit ones above it.
ID_PATTERN = "[0-9]{1,19}"


def parse_id(raw: object) -> int | None:
    """The id in `raw` (a string of ASCII digits, 1 to MAX_ID), or None if it is not one."""
    if not isinstance(raw, str):
        return None
    text = raw.strip()
    # str.isdigit() accepts other scripts' digits ("٣") and superscripts; ids are ASCII only.
    if not text or len(text) > 19 or not text.isascii() or not text.isdigit():
        return None
    value = int(text)
    return value if 0 < value <= MAX_ID else None


class IdConverter:
    """Path converter `<id:name>`: like `<int:…>` but bounded, so an overlong id is a 404."""

    regex = ID_PATTERN

    def to_python(self, value: str) -> int:
        number = int(value)
        if number > MAX_ID:
            # ValueError tells the resolver that this pattern does not match: the answer is 404.
            raise ValueError("id out of range")
        return number

    def to_url(self, value: int) -> str:
        return str(value)
