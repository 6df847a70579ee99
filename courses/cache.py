"""Course outlines kept in Django's cache, and the versions that make them stale.

Every lesson, course and quiz page shows its course's outline, and My learning shows the
outlines of all the learner's courses; reading them from the tree costs three queries per
course on each request, while they change only when a trainer edits the course. So each
outline is cached under a key that carries the course's version, a site-wide generation and
the language; a change to any page of a course gives the course a new version (see
`courses/signals.py`), and the stale entries are simply never read again and expire.

Cached values are plain dataclasses (ids, titles, urls), never model instances, so a value
read back never touches the database.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from django.core.cache import cache
from django.db import transaction
from django.utils import translation

if TYPE_CHECKING:
    from courses.selectors.outline import CourseOutline

OUTLINE_SECONDS = 24 * 60 * 60
GENERATION_KEY = "courses:outline:generation"


def _version_key(course_id: int) -> str:
    return f"courses:outline:version:{course_id}"


def _token() -> str:
    return uuid.uuid4().hex[:16]


def _tokens(keys: list[str]) -> dict[str, str]:
    """The version tokens under these keys (one round trip), created when missing."""
    found = cache.get_many(keys)
    fresh = {key: _token() for key in keys if key not in found}
    if fresh:
        # No timeout: a version lost to eviction is replaced by a new one, which only costs
        # a rebuild of what it keyed.
        cache.set_many(fresh, timeout=None)
        found.update(fresh)
    return found


def _versions(course_ids: list[int]) -> tuple[str, dict[int, str]]:
    """The site-wide generation and each course's version, created when missing."""
    keys = {course_id: _version_key(course_id) for course_id in course_ids}
    found = _tokens([GENERATION_KEY, *keys.values()])
    return found[GENERATION_KEY], {course_id: found[key] for course_id, key in keys.items()}


def generation() -> str:
    """The site-wide part of every key: a new one makes every outline and site entry stale."""
    return _versions([])[0]


def _outline_keys(course_ids: list[int]) -> dict[int, str]:
    generation, versions = _versions(course_ids)
    language = translation.get_language() or "-"
    return {
        course_id: f"courses:outline:{generation}:{course_id}:{versions[course_id]}:{language}"
        for course_id in course_ids
    }


def content_version(course_id: int) -> str:
    """A token that changes whenever any page of the course (or the site) changes, and with
    the language: the key of fragments rendered from the course's content."""
    generation, versions = _versions([course_id])
    return f"{generation}:{versions[course_id]}:{translation.get_language() or '-'}"


def outlines_get(course_ids: Iterable[int]) -> dict[int, CourseOutline]:
    """The cached outlines among `course_ids` (two cache round trips, whatever their number)."""
    course_ids = list(course_ids)
    if not course_ids:
        return {}
    keys = _outline_keys(course_ids)
    found = cache.get_many(list(keys.values()))
    return {course_id: found[key] for course_id, key in keys.items() if key in found}


def outlines_set(outlines: dict[int, CourseOutline]) -> None:
    if not outlines:
        return
    keys = _outline_keys(list(outlines))
    cache.set_many(
        {keys[course_id]: outline for course_id, outline in outlines.items()},
        timeout=OUTLINE_SECONDS,
    )


def _bump(keys: list[str]) -> None:
    cache.set_many({key: _token() for key in keys}, timeout=None)


def _bump_now_and_on_commit(keys: list[str]) -> None:
    # Now, so the rest of this transaction (and a test inside one) reads the change; again on
    # commit, because another request may have rebuilt the outline from the data as it was
    # before this transaction committed, under the version bumped just now.
    _bump(keys)
    transaction.on_commit(lambda: _bump(keys))


_PAGES_KEY = "courses:pages:version"


def pages_version() -> str:
    """A token that any page save, delete or move replaces: the key of whole cached pages."""
    found = cache.get(_PAGES_KEY)
    if found is None:
        found = _token()
        cache.add(_PAGES_KEY, found, timeout=None)
        found = cache.get(_PAGES_KEY, found)
    return found


def pages_changed() -> None:
    """Every whole page cached for anonymous visitors is stale (`courses/page_cache.py`)."""
    _bump_now_and_on_commit([_PAGES_KEY])


# The names of tree values (each with a version of its own).
CATALOGUE_URL = "catalogue-url"


def _tree_version_key(name: str) -> str:
    return f"courses:tree-value:version:{name}"


def tree_value(name: str, build: Callable[[], str]) -> str:
    """A small text derived from a few pages of the tree (the catalogue's address, say), rebuilt
    only after `tree_value_changed(name)` or a change of site or tree shape (the generation):
    unlike whole cached pages, it does not go stale whenever any course is edited."""
    version_key = _tree_version_key(name)
    found = _tokens([GENERATION_KEY, version_key])
    language = translation.get_language() or "-"
    key = f"courses:tree-value:{name}:{found[GENERATION_KEY]}:{found[version_key]}:{language}"
    value = cache.get(key)
    if value is None:
        value = build()
        cache.set(key, value, timeout=OUTLINE_SECONDS)
    return value


def tree_value_changed(name: str) -> None:
    _bump_now_and_on_commit([_tree_version_key(name)])


def courses_changed(course_ids: Iterable[int]) -> None:
    """Outlines of these courses are stale (a page of theirs was published, moved, deleted)."""
    keys = [_version_key(course_id) for course_id in set(course_ids)]
    if keys:
        _bump_now_and_on_commit(keys)


def everything_changed() -> None:
    """Every outline is stale (a site's root or host changed, so every URL may have)."""
    _bump_now_and_on_commit([GENERATION_KEY])


_RESTRICTIONS_KEY = "courses:view-restrictions:any"


def any_view_restrictions() -> bool:
    """Whether any page has a view restriction (privacy settings); almost never, so cached."""
    found = cache.get(_RESTRICTIONS_KEY)
    if found is None:
        from wagtail.models import PageViewRestriction

        found = PageViewRestriction.objects.exists()
        cache.set(_RESTRICTIONS_KEY, found, timeout=None)
    return found


def view_restrictions_changed() -> None:
    cache.delete(_RESTRICTIONS_KEY)
    transaction.on_commit(lambda: cache.delete(_RESTRICTIONS_KEY))
