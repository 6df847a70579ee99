"""Learner text kept as plain text: templates and exports escape it on the way out."""

import unicodedata


def clean_text(value: str) -> str:
    """Plain text as a learner meant it: one kind of line break, no control characters."""
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    return "".join(ch for ch in value if ch in "\n\t" or unicodedata.category(ch)[0] != "C").strip()
