"""How a room adds its own data to a learner's export and erasure without privacy knowing it.

`privacy` sits above every room it reads directly. A room that arrives later (a capstone
workbook, say) registers a contributor from `LearnersConfig.ready()`; the export then carries its
files, described in the README, and erasure calls its `erase`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class ExportFile:
    """One file of the archive: its path inside the ZIP, its bytes, and a line for README.txt."""

    name: str
    content: bytes
    description: str


@dataclass(frozen=True)
class PrivacyContributor:
    """`export(user)` returns the room's files; `erase(user=…)` removes or pseudonymises its
    personal data inside the erasure's transaction; `purge(before=…)` applies retention and
    returns how many records it touched."""

    name: str
    export: Callable[..., list[ExportFile]] | None = None
    erase: Callable[..., None] | None = None
    purge: Callable[..., int] | None = field(default=None)


_contributors: list[PrivacyContributor] = []


def privacy_contributor_register(contributor: PrivacyContributor) -> None:
    # ready() may run more than once in tests; register each name once.
    if all(existing.name != contributor.name for existing in _contributors):
        _contributors.append(contributor)


def privacy_contributors() -> list[PrivacyContributor]:
    return list(_contributors)
