"""Reads of the xAPI room: statements of events (fixed queries per batch), the outbox."""

from __future__ import annotations

from django.conf import settings
from django.db.models import Count, Q
from wagtail.models import Page

from learners.accounts.models import User
from learners.progress.models import ActivityEvent
from learners.xapi.models import LearningRecordStore, OutboxEntry, OutboxState
from learners.xapi.statements import StatementFacts, statement_build

# Object types whose object_id is a Wagtail page (a certificate's is the certificate's id).
PAGE_OBJECTS = {"course", "lesson", "quiz", "workbook"}


def _page_identities(events: list[ActivityEvent]) -> dict[int, tuple]:
    """{page id: (translation_key, language code)} for every page the events name: one query."""
    ids: set[int] = set()
    for event in events:
        if event.object_type in PAGE_OBJECTS and event.object_id is not None:
            ids.add(event.object_id)
        if event.course_id is not None:
            ids.add(event.course_id)
    if not ids:
        return {}
    rows = Page.objects.filter(pk__in=ids).values_list(
        "pk", "translation_key", "locale__language_code"
    )
    return {pk: (key, language) for pk, key, language in rows}


def _emails(events: list[ActivityEvent]) -> dict[int, str]:
    ids = {e.actor_id for e in events if e.actor_id}
    return {
        pk: email
        for pk, email in User.objects.filter(pk__in=ids).values_list("pk", "email")
        if email
    }


def statement_facts(*, event: ActivityEvent, pages: dict, accounts: dict, emails: dict):
    own = pages.get(event.object_id) if event.object_type in PAGE_OBJECTS else None
    course = pages.get(event.course_id) if event.course_id is not None else None
    language = (own or course or (None, None))[1]
    return StatementFacts(
        event_id=event.pk,
        verb=event.verb,
        object_type=event.object_type,
        object_id=event.object_id,
        object_key=own[0] if own else None,
        object_title=event.object_title,
        course_id=event.course_id,
        course_key=course[0] if course else None,
        course_title=event.course_title,
        language=language,
        actor_name=accounts.get(event.actor_id, "unknown"),
        actor_mbox=emails.get(event.actor_id),
        timestamp=event.timestamp,
        score=event.result_score,
        success=event.result_success,
        completion=event.result_completion,
        duration=event.result_duration,
    )


def statements_for_events(*, events: list[ActivityEvent], accounts: dict[int, str]) -> list[dict]:
    """The statements of `events`, in their order: one or two queries whatever their number."""
    pages = _page_identities(events)
    emails = _emails(events) if settings.XAPI_ACTOR_MBOX else {}
    default_language = settings.LANGUAGE_CODE
    return [
        statement_build(
            statement_facts(event=event, pages=pages, accounts=accounts, emails=emails),
            site_url=settings.SITE_URL,
            platform=settings.XAPI_PLATFORM,
            default_language=default_language,
        )
        for event in events
    ]


def learner_events(*, user_id: int) -> list[ActivityEvent]:
    return list(ActivityEvent.objects.filter(actor_id=user_id).order_by("timestamp", "id"))


def outbox_overview() -> list[dict]:
    """Per LRS: how many statements wait, were sent, are dead (one query)."""
    return list(
        LearningRecordStore.objects.order_by("name").annotate(
            pending=Count("outbox", filter=Q(outbox__state=OutboxState.PENDING)),
            sent=Count("outbox", filter=Q(outbox__state=OutboxState.SENT)),
            dead=Count("outbox", filter=Q(outbox__state=OutboxState.DEAD)),
        )
    )


def outbox_entries(*, state: str, lrs_id: int | None = None):
    rows = OutboxEntry.objects.filter(state=state).select_related("lrs", "event").order_by("-id")
    if lrs_id is not None:
        rows = rows.filter(lrs_id=lrs_id)
    return rows
