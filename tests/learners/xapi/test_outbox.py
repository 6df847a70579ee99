"""The outbox is written with the activity event, in its transaction, per LRS and verb."""

import pytest
from django.db import transaction

from learners.models import (
    ActivityEvent,
    LearningRecordStore,
    OutboxEntry,
    OutboxState,
    Verb,
)
from learners.progress.services import activity_record, enrolment_create
from learners.xapi.services import lrs_environment_sync, outbox_drain, retry_delay
from learners.xapi.statements import statement_id

pytestmark = pytest.mark.django_db


def store(name="analytics", **fields) -> LearningRecordStore:
    values = {
        "endpoint": "http://127.0.0.1:9/xAPI/",
        "key": "k",
        "secret_env": "XAPI_TEST_SECRET",
    }
    values.update(fields)
    return LearningRecordStore.objects.create(name=name, **values)


def test_each_event_gets_one_pending_row_per_active_lrs_that_takes_its_verb(
    learner, course_tree, settings
):
    every = store("every")
    only_completions = store("completions", verbs=[Verb.COMPLETED.value])
    store("asleep", active=False)
    enrolment_create(user=learner, course=course_tree.course)
    event = ActivityEvent.objects.get(actor=learner, verb=Verb.REGISTERED)
    rows = list(OutboxEntry.objects.all())
    assert [(r.lrs_id, r.event_id, r.state) for r in rows] == [
        (every.pk, event.pk, OutboxState.PENDING)
    ]
    assert rows[0].statement_id == statement_id(site_url=settings.SITE_URL, event_id=event.pk)
    assert not OutboxEntry.objects.filter(lrs=only_completions).exists()


def test_no_lrs_no_rows_and_no_query_once_the_list_is_cached(
    learner, course_tree, django_assert_num_queries
):
    activity_record(
        actor=learner, verb=Verb.EXPERIENCED, object_type="lesson", object_id=1, object_title="x"
    )
    with django_assert_num_queries(1):  # the event's INSERT, nothing for xAPI
        activity_record(
            actor=learner,
            verb=Verb.EXPERIENCED,
            object_type="lesson",
            object_id=2,
            object_title="y",
        )
    assert not OutboxEntry.objects.exists()


def test_a_rolled_back_event_leaves_no_outbox_row(learner):
    store()
    with pytest.raises(RuntimeError), transaction.atomic():
        activity_record(
            actor=learner,
            verb=Verb.EXPERIENCED,
            object_type="lesson",
            object_id=1,
            object_title="x",
        )
        assert OutboxEntry.objects.count() == 1
        raise RuntimeError("the request failed after recording")
    assert not ActivityEvent.objects.exists()
    assert not OutboxEntry.objects.exists()


def test_an_lrs_saved_in_the_admin_takes_effect_at_once(learner):
    activity_record(
        actor=learner, verb=Verb.EXPERIENCED, object_type="lesson", object_id=1, object_title="x"
    )
    store()  # saving clears the cached list of active LRSs
    activity_record(
        actor=learner, verb=Verb.EXPERIENCED, object_type="lesson", object_id=2, object_title="y"
    )
    assert OutboxEntry.objects.count() == 1


def test_the_environment_lrs_follows_the_settings(settings):
    settings.XAPI_LRS_ENDPOINT = "https://lrs.example.org/xAPI/"
    settings.XAPI_LRS_KEY = "capacitas"
    settings.XAPI_LRS_VERBS = [Verb.PASSED.value]
    lrs = lrs_environment_sync()
    assert (lrs.name, lrs.key, lrs.secret_env, lrs.verbs, lrs.active) == (
        "environment",
        "capacitas",
        "XAPI_LRS_SECRET",
        [Verb.PASSED.value],
        True,
    )
    settings.XAPI_LRS_ENDPOINT = ""
    lrs_environment_sync()
    lrs.refresh_from_db()
    assert lrs.active is False


def test_an_unreachable_lrs_backs_off_exponentially_then_the_rows_die(learner, settings):
    settings.XAPI_MAX_ATTEMPTS = 3
    store()  # port 9 on loopback: nothing listens there
    activity_record(
        actor=learner, verb=Verb.EXPERIENCED, object_type="lesson", object_id=1, object_title="x"
    )
    entry = OutboxEntry.objects.get()
    now = entry.next_attempt_at
    report = outbox_drain(now=now)
    assert (report.sent, report.failed, report.dead) == (0, 1, 0)
    entry.refresh_from_db()
    assert entry.state == OutboxState.PENDING and entry.attempts == 1
    assert "unreachable" in entry.last_error
    assert entry.next_attempt_at == now + retry_delay(1)
    assert outbox_drain(now=now).batches == 0  # not due yet: nothing is tried
    outbox_drain(now=entry.next_attempt_at)
    entry.refresh_from_db()
    assert entry.attempts == 2 and entry.next_attempt_at > now + retry_delay(2)
    outbox_drain(now=entry.next_attempt_at)
    entry.refresh_from_db()
    assert entry.state == OutboxState.DEAD and entry.attempts == 3
    assert retry_delay(2) == 2 * retry_delay(1)


def test_the_secret_never_reaches_the_stored_error(learner, monkeypatch):
    monkeypatch.setenv("XAPI_TEST_SECRET", "do-not-show-me")
    store()
    activity_record(
        actor=learner, verb=Verb.EXPERIENCED, object_type="lesson", object_id=1, object_title="x"
    )
    outbox_drain(now=OutboxEntry.objects.get().next_attempt_at)
    entry = OutboxEntry.objects.get()
    assert entry.last_error and "do-not-show-me" not in entry.last_error


def test_xapi_replay_backfills_a_new_lrs_with_the_verbs_it_takes(learner, course_tree):
    from io import StringIO

    from django.core.management import call_command
    from django.utils import timezone

    enrolment_create(user=learner, course=course_tree.course)
    for lesson in course_tree.lessons:
        activity_record(
            actor=learner,
            verb=Verb.EXPERIENCED,
            object_type="lesson",
            object_id=lesson.pk,
            object_title=lesson.title,
        )
    assert not OutboxEntry.objects.exists()  # no LRS yet: nothing was queued
    lrs = store("views", verbs=[Verb.EXPERIENCED.value])
    store("other")
    out = StringIO()
    today = timezone.now().date().isoformat()
    call_command("xapi_replay", since=today, lrs=["views"], stdout=out)
    assert out.getvalue().startswith("4 statements queued")
    assert OutboxEntry.objects.filter(lrs=lrs).count() == len(course_tree.lessons)
    assert not OutboxEntry.objects.exclude(lrs=lrs).exists()
    call_command("xapi_replay", since=today, lrs=["views"], stdout=StringIO())
    assert OutboxEntry.objects.filter(lrs=lrs).count() == len(course_tree.lessons)


def test_xapi_replay_refuses_a_bad_date_and_an_unknown_lrs():
    from django.core.management import CommandError, call_command

    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("xapi_replay", since="yesterday")
    with pytest.raises(CommandError, match="No active LRS named nowhere"):
        call_command("xapi_replay", since="2026-01-01", lrs=["nowhere"])


def test_xapi_forward_reports_what_it_did(learner):
    from io import StringIO

    from django.core.management import call_command

    store()
    activity_record(
        actor=learner, verb=Verb.EXPERIENCED, object_type="lesson", object_id=1, object_title="x"
    )
    out = StringIO()
    call_command("xapi_forward", stdout=out)
    assert out.getvalue().strip() == "sent 0, failed 1, dead 0, batches 1"
