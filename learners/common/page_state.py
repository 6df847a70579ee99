"""Learner-state versions: the part of a cached learner page's key that their own changes replace.

A signed-in learner's course and lesson pages are kept whole in the cache
(`learners/progress/page_cache.py`), keyed on, among others, a per-person token that lives in
the cache (no database write) and is replaced whenever anything such a page can show changes
for that person: enrolments, lesson progress, quiz attempts, workbooks and their submissions,
certificates, SCORM attempts, reflection notes, assignments, roles. A site-wide token is
replaced for a change that cannot be traced to people (an organisation renamed, an
assignment's due date moved): every learner page is then stale.

Two ways in, so that no write is missed:
- `learner_model_saved` (post_save and post_delete of the `learners` models, connected in
  `LearnersConfig.ready()`) finds the person through a `user_id`, or the `user_id` of the
  enrolment, certificate, workbook or LTI account the row belongs to;
- `learner_pages_changed(user_ids=...)`, called by every service that writes with
  `QuerySet.update()` or `bulk_create()` (no signal), listed where it is called.

This room is the lowest one, so every other room may call it.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from django.contrib.auth.base_user import AbstractBaseUser
from django.core.cache import cache
from django.core.exceptions import ObjectDoesNotExist
from django.db import transaction

GLOBAL_KEY = "learners:page-state:all"

# A row belongs to a person through one of these (the first present wins).
_THROUGH = ("enrolment", "certificate", "workbook", "account")


def _user_key(user_id: int) -> str:
    return f"learners:page-state:{user_id}"


def _token() -> str:
    return uuid.uuid4().hex[:12]


def learner_state_version(user_id: int) -> str:
    """The site-wide and the person's token (created when missing: one cache round trip)."""
    keys = [GLOBAL_KEY, _user_key(user_id)]
    found = cache.get_many(keys)
    missing = [key for key in keys if key not in found]
    for key in missing:
        # add, not set: two requests creating the token at once agree on the first one.
        cache.add(key, _token(), timeout=None)
    if missing:
        found.update(cache.get_many(missing))
    return f"{found.get(GLOBAL_KEY, '-')}.{found.get(_user_key(user_id), '-')}"


def _bump(keys: list[str]) -> None:
    cache.set_many({key: _token() for key in keys}, timeout=None)


def _bump_now_and_on_commit(keys: list[str]) -> None:
    # Now, so the rest of this transaction reads the change; again on commit, because another
    # request may have rendered the page from the data as it was before this transaction
    # committed and kept it under the token replaced just now (as courses/cache.py does).
    if not keys:
        return
    _bump(keys)
    transaction.on_commit(lambda: _bump(keys))


def learner_pages_changed(*, user_ids: Iterable[int | None]) -> None:
    """Every cached page of these people is stale."""
    _bump_now_and_on_commit(sorted({_user_key(pk) for pk in user_ids if pk is not None}))


def all_learner_pages_changed() -> None:
    """Every learner's cached pages are stale."""
    _bump_now_and_on_commit([GLOBAL_KEY])


def user_ids_of(instance) -> set[int] | None:
    """The people a learners row belongs to; None when it belongs to no one in particular."""
    if isinstance(instance, AbstractBaseUser):
        return {instance.pk} if instance.pk is not None else set()
    if hasattr(instance, "user_id"):
        return {instance.user_id} if instance.user_id is not None else set()
    for name in _THROUGH:
        if hasattr(instance, f"{name}_id"):
            if getattr(instance, f"{name}_id") is None:
                return set()
            try:
                owner = getattr(instance, name)
            except ObjectDoesNotExist:
                return set()  # deleted with its owner, whose own signal made the pages stale
            return user_ids_of(owner)
    return None


def learner_model_saved(sender, instance, **kwargs) -> None:
    """post_save and post_delete receiver of the learners models (see the module docstring)."""
    user_ids = user_ids_of(instance)
    if user_ids is None:
        all_learner_pages_changed()
    else:
        learner_pages_changed(user_ids=user_ids)
