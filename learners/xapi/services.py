"""Writes of the xAPI room: the outbox, the forwarder, retries, replay, the learners' accounts.

An activity event and its outbox rows are written in one transaction (`outbox_enqueue` listens
to `progress.signals.activity_recorded`); the forwarder (`outbox_drain`, run by the task in
`tasks.py` and by `manage.py xapi_forward`) sends them later, never inside a request.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from learners.progress.models import ActivityEvent
from learners.xapi.client import LrsError, LrsTarget, statements_post
from learners.xapi.models import LearningRecordStore, OutboxEntry, OutboxState, XapiAccount
from learners.xapi.selectors import statements_for_events
from learners.xapi.statements import statement_id

ACTIVE_LRS_CACHE_KEY = "xapi:active-lrs"
ENVIRONMENT_LRS_NAME = "environment"
# A claimed batch is hidden from other forwarders this long; a crash mid-send frees it then.
CLAIM_LEASE = timedelta(minutes=5)
# HTTP answers that no retry will change: the batch is split, then the statement is dead.
PERMANENT = ("HTTP 400", "HTTP 409", "HTTP 413")


def _site_url() -> str:
    return settings.SITE_URL.rstrip("/")


# --- which LRSs are active (cached: the request path costs no query once warm) -------------


def active_lrs_verbs() -> list[tuple[int, list[str]]]:
    """(id, verbs) of each active LRS; cached, cleared whenever an LRS is saved or deleted."""
    cached = cache.get(ACTIVE_LRS_CACHE_KEY)
    if cached is None:
        cached = [
            (pk, list(verbs or []))
            for pk, verbs in LearningRecordStore.objects.filter(active=True).values_list(
                "pk", "verbs"
            )
        ]
        cache.set(ACTIVE_LRS_CACHE_KEY, cached, 60)
    return cached


def active_lrs_forget(**kwargs) -> None:
    cache.delete(ACTIVE_LRS_CACHE_KEY)


def lrs_environment_sync() -> LearningRecordStore | None:
    """The LRS of XAPI_LRS_ENDPOINT / XAPI_LRS_KEY / XAPI_LRS_SECRET as a row named
    "environment" (created, updated or deactivated to match the environment)."""
    endpoint = settings.XAPI_LRS_ENDPOINT
    existing = LearningRecordStore.objects.filter(name=ENVIRONMENT_LRS_NAME).first()
    if not endpoint:
        if existing is not None and existing.from_environment and existing.active:
            existing.active = False
            existing.save(update_fields=["active"])
        return None
    values = {
        "endpoint": endpoint,
        "key": settings.XAPI_LRS_KEY,
        "secret_env": "XAPI_LRS_SECRET",
        "verbs": list(settings.XAPI_LRS_VERBS),
        "active": True,
        "from_environment": True,
    }
    if existing is None:
        return LearningRecordStore.objects.create(name=ENVIRONMENT_LRS_NAME, **values)
    if any(getattr(existing, name) != value for name, value in values.items()):
        for name, value in values.items():
            setattr(existing, name, value)
        existing.save()
    return existing


def lrs_target(lrs: LearningRecordStore) -> LrsTarget:
    return LrsTarget(
        endpoint=lrs.endpoint,
        key=lrs.key,
        secret=os.environ.get(lrs.secret_env, "") if lrs.secret_env else "",
        timeout=settings.XAPI_TIMEOUT_SECONDS,
    )


# --- the outbox, written with the event ------------------------------------------------------


def outbox_enqueue(*, event: ActivityEvent) -> int:
    """One pending row per active LRS that takes the event's verb; returns how many.

    Called inside the event's transaction (signals.py), which asks the forwarder to run once it
    commits.
    """
    targets = [pk for pk, verbs in active_lrs_verbs() if not verbs or event.verb in verbs]
    if not targets or event.actor_id is None:
        return 0
    now = timezone.now()
    sid = statement_id(site_url=_site_url(), event_id=event.pk)
    OutboxEntry.objects.bulk_create(
        [
            OutboxEntry(event=event, lrs_id=pk, statement_id=sid, next_attempt_at=now)
            for pk in targets
        ]
    )
    return len(targets)


# --- the learners' opaque names ---------------------------------------------------------------


def xapi_accounts_ensure(*, user_ids: set[int]) -> dict[int, str]:
    """The opaque account name of each user, created on first use (races are harmless)."""
    if not user_ids:
        return {}
    known = dict(XapiAccount.objects.filter(user_id__in=user_ids).values_list("user_id", "name"))
    missing = user_ids - known.keys()
    if missing:
        XapiAccount.objects.bulk_create(
            [XapiAccount(user_id=pk) for pk in missing], ignore_conflicts=True
        )
        known.update(XapiAccount.objects.filter(user_id__in=missing).values_list("user_id", "name"))
    return {pk: str(name) for pk, name in known.items()}


def statements_build(*, events: list[ActivityEvent]) -> list[dict]:
    """The statements of these events (accounts created for actors who have none yet)."""
    accounts = xapi_accounts_ensure(user_ids={e.actor_id for e in events if e.actor_id})
    return statements_for_events(events=events, accounts=accounts)


# --- the forwarder ----------------------------------------------------------------------------


@dataclass
class DrainReport:
    sent: int = 0
    failed: int = 0
    dead: int = 0
    batches: int = 0
    batch_seconds: list[float] = field(default_factory=list)


def retry_delay(attempts: int) -> timedelta:
    """Exponential backoff: base × 2^(attempts−1), capped."""
    base = settings.XAPI_RETRY_BASE_SECONDS
    return timedelta(seconds=min(base * 2 ** max(attempts - 1, 0), settings.XAPI_RETRY_MAX_SECONDS))


def _claim(*, lrs_id: int, now: datetime, size: int) -> list[OutboxEntry]:
    """Take up to `size` due rows of one LRS and hide them from other forwarders for a lease."""
    with transaction.atomic():
        due = OutboxEntry.objects.filter(
            lrs_id=lrs_id, state=OutboxState.PENDING, next_attempt_at__lte=now
        ).order_by("next_attempt_at", "id")
        if connection.features.has_select_for_update_skip_locked:
            # Lock the outbox rows only, not the activity events joined for the statements.
            of = ("self",) if connection.features.has_select_for_update_of else ()
            due = due.select_for_update(skip_locked=True, of=of)
        entries = list(due.select_related("event")[:size])
        if entries:
            OutboxEntry.objects.filter(pk__in=[e.pk for e in entries]).update(
                next_attempt_at=now + CLAIM_LEASE
            )
    return entries


def _mark_sent(entries: list[OutboxEntry]) -> None:
    OutboxEntry.objects.filter(pk__in=[e.pk for e in entries]).update(
        state=OutboxState.SENT, sent_at=timezone.now(), last_error="", attempts=F("attempts") + 1
    )


def _mark_failed(entries: list[OutboxEntry], *, error: str, permanent: bool, now: datetime):
    """Count a failed attempt; past the limit (or on a refusal no retry changes) → dead.

    One UPDATE per distinct attempt count in the batch (usually one)."""
    dead = 0
    limit = settings.XAPI_MAX_ATTEMPTS
    by_attempts: dict[int, list[int]] = {}
    for entry in entries:
        by_attempts.setdefault(entry.attempts + 1, []).append(entry.pk)
    for attempts, ids in by_attempts.items():
        is_dead = permanent or attempts >= limit
        dead += len(ids) if is_dead else 0
        OutboxEntry.objects.filter(pk__in=ids).update(
            attempts=attempts,
            state=OutboxState.DEAD if is_dead else OutboxState.PENDING,
            next_attempt_at=now + retry_delay(attempts),
            last_error=error[:1000],
        )
    return dead


def _send(target: LrsTarget, entries: list[OutboxEntry], report: DrainReport, now) -> bool:
    """Send one batch; False when the LRS is down or refuses us for now (try it later)."""
    statements = statements_build(events=[e.event for e in entries])
    started = timezone.now()
    try:
        statements_post(target=target, statements=statements)
    except LrsError as error:
        permanent = error.message.startswith(PERMANENT)
        if permanent and len(entries) > 1:
            # One statement the LRS refuses must not hold back the rest of the batch.
            # Every entry is sent (no short-circuit), each on its own.
            outcomes = [_send(target, [entry], report, now) for entry in entries]
            return all(outcomes)
        report.failed += len(entries)
        report.dead += _mark_failed(entries, error=error.message, permanent=permanent, now=now)
        return permanent
    finally:
        report.batches += 1
        report.batch_seconds.append((timezone.now() - started).total_seconds())
    _mark_sent(entries)
    report.sent += len(entries)
    return True


def outbox_drain(
    *, now: datetime | None = None, batch_size: int | None = None, max_batches: int = 1000
) -> DrainReport:
    """Send what is due, LRS by LRS, in batches; stop at the first failing batch of an LRS."""
    lrs_environment_sync()
    now = now or timezone.now()
    size = batch_size or settings.XAPI_BATCH_SIZE
    report = DrainReport()
    for lrs in LearningRecordStore.objects.filter(active=True):
        target = lrs_target(lrs)
        for _ in range(max_batches):
            entries = _claim(lrs_id=lrs.pk, now=now, size=size)
            if not entries:
                break
            if not _send(target, entries, report, now):
                break  # the LRS is down or refusing us: the backoff decides when to try again
    return report


def outbox_retry(*, entry_ids: list[int] | None = None, lrs: LearningRecordStore | None = None):
    """Give dead (or waiting) rows a fresh start: pending now, attempts back to zero."""
    rows = OutboxEntry.objects.exclude(state=OutboxState.SENT)
    if entry_ids is not None:
        rows = rows.filter(pk__in=entry_ids)
    if lrs is not None:
        rows = rows.filter(lrs=lrs)
    return rows.update(
        state=OutboxState.PENDING, attempts=0, next_attempt_at=timezone.now(), last_error=""
    )


def outbox_replay(*, since: date, lrs_names: list[str] | None = None, chunk: int = 2000) -> int:
    """Queue every event since `since` again for each (or the named) active LRS.

    Rows that exist go back to pending; missing rows are created. Statement ids are derived
    from the events, so the LRS keeps one copy of each statement however often it is replayed.
    """
    lrs_environment_sync()
    stores = LearningRecordStore.objects.filter(active=True)
    if lrs_names:
        stores = stores.filter(name__in=lrs_names)
    start = timezone.make_aware(datetime.combine(since, datetime.min.time()))
    site = _site_url()
    now = timezone.now()
    queued = 0
    for lrs in stores:
        events = (
            ActivityEvent.objects.filter(timestamp__gte=start, actor__isnull=False)
            .order_by("id")
            .values_list("pk", "verb")
        )
        batch: list[OutboxEntry] = []
        for pk, verb in events.iterator(chunk_size=chunk):
            if not lrs.accepts(verb):
                continue
            batch.append(
                OutboxEntry(
                    event_id=pk,
                    lrs=lrs,
                    statement_id=statement_id(site_url=site, event_id=pk),
                    next_attempt_at=now,
                )
            )
            if len(batch) >= chunk:
                queued += _replay_chunk(lrs, batch, now)
                batch = []
        if batch:
            queued += _replay_chunk(lrs, batch, now)
    return queued


def _replay_chunk(lrs: LearningRecordStore, batch: list[OutboxEntry], now: datetime) -> int:
    with transaction.atomic():
        OutboxEntry.objects.bulk_create(batch, ignore_conflicts=True)
        OutboxEntry.objects.filter(lrs=lrs, event_id__in=[e.event_id for e in batch]).update(
            state=OutboxState.PENDING, attempts=0, next_attempt_at=now, last_error=""
        )
    return len(batch)
