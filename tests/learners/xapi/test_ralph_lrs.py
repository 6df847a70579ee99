"""The forwarder against a real LRS: Ralph, started on a free loopback port (see ralph.py)."""

import json
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from learners.models import ActivityEvent, OutboxEntry, OutboxState, Verb
from learners.progress.services import activity_record, enrolment_create
from learners.xapi.services import outbox_drain, outbox_retry
from tests.learners.xapi.journeys import every_verb_journey
from tests.learners.xapi.ralph import free_port

pytestmark = pytest.mark.django_db


def held(ralph, ids: set[str]) -> list[dict]:
    """Ralph's statements among `ids` (GET /xAPI/statements), duplicates included."""
    return [s for s in ralph.statements() if s["id"] in ids]


def test_every_statement_arrives_and_reads_back_as_sent(ralph, ralph_store, learner, unique_site):
    events = every_verb_journey(learner)
    entries = OutboxEntry.objects.filter(lrs=ralph_store)
    assert entries.count() == len(events)
    report = outbox_drain(batch_size=4)
    errors = set(entries.values_list("last_error", flat=True)) - {""}
    assert (report.sent, report.failed, report.dead) == (len(events), 0, 0), errors
    assert report.batches == -(-len(events) // 4)
    assert set(entries.values_list("state", flat=True)) == {OutboxState.SENT}
    ids = {str(i) for i in entries.values_list("statement_id", flat=True)}
    stored = held(ralph, ids)
    assert sorted(s["id"] for s in stored) == sorted(ids)
    assert {s["verb"]["id"] for s in stored} == set(Verb.values)
    one = next(s for s in stored if s["verb"]["id"] == Verb.PASSED)
    assert one["result"]["success"] is True and 0 < one["result"]["score"]["scaled"] <= 1
    assert one["actor"]["account"]["homePage"] == unique_site
    # Reading one statement by id (GET /xAPI/statements?statementId=…) gives it back whole.
    status, body = ralph.get(f"/xAPI/statements/?statementId={one['id']}")
    answer = json.loads(body)
    found = answer.get("statements", [answer])  # Ralph wraps the one statement in a list
    assert status == 200 and [s["id"] for s in found] == [one["id"]]
    assert found[0]["verb"] == one["verb"] and found[0]["object"] == one["object"]


def test_lrs_down_events_wait_then_arrive_exactly_once(ralph, ralph_store, learner, course_tree):
    live_endpoint = ralph_store.endpoint
    ralph_store.endpoint = f"http://127.0.0.1:{free_port()}/xAPI/"  # nothing listens: down
    ralph_store.save()
    enrolment, _ = enrolment_create(user=learner, course=course_tree.course)
    for lesson in course_tree.lessons[:2]:
        activity_record(
            actor=learner,
            verb=Verb.EXPERIENCED,
            object_type="lesson",
            object_id=lesson.pk,
            object_title=lesson.title,
            course_id=course_tree.course.pk,
        )
    entries = OutboxEntry.objects.filter(lrs=ralph_store)
    assert entries.count() == 3
    report = outbox_drain()
    assert (report.sent, report.failed) == (0, 3)
    assert set(entries.values_list("state", flat=True)) == {OutboxState.PENDING}
    ids = {str(i) for i in entries.values_list("statement_id", flat=True)}
    assert held(ralph, ids) == []

    ralph_store.endpoint = live_endpoint  # the LRS is back
    ralph_store.save()
    later = timezone.now() + timedelta(hours=1)
    assert outbox_drain(now=later).sent == 3
    assert sorted(s["id"] for s in held(ralph, ids)) == sorted(ids)

    # A second drain, a retry and a replay of everything: still exactly one of each.
    assert outbox_drain(now=later).sent == 0
    call_command("xapi_replay", since=(timezone.now() - timedelta(days=1)).date().isoformat())
    assert set(entries.values_list("state", flat=True)) == {OutboxState.PENDING}
    assert outbox_drain(now=later).sent == 3
    assert sorted(s["id"] for s in held(ralph, ids)) == sorted(ids)
    assert enrolment.pk


def test_wrong_credentials_dead_letter_then_retry_delivers(
    ralph, ralph_store, learner, monkeypatch, settings
):
    settings.XAPI_MAX_ATTEMPTS = 2
    monkeypatch.setenv("XAPI_TEST_RALPH_SECRET", "not-the-password")
    event = activity_record(
        actor=learner, verb=Verb.EXPERIENCED, object_type="lesson", object_id=1, object_title="x"
    )
    entry = OutboxEntry.objects.get(event=event)
    outbox_drain()
    outbox_drain(now=timezone.now() + timedelta(hours=1))
    entry.refresh_from_db()
    assert entry.state == OutboxState.DEAD and entry.attempts == 2
    assert entry.last_error.startswith("HTTP 401")
    assert "not-the-password" not in entry.last_error

    monkeypatch.setenv("XAPI_TEST_RALPH_SECRET", ralph.password)
    assert outbox_retry(entry_ids=[entry.pk]) == 1
    assert outbox_drain().sent == 1
    entry.refresh_from_db()
    assert entry.state == OutboxState.SENT
    assert len(held(ralph, {str(entry.statement_id)})) == 1


def test_a_statement_the_lrs_refuses_dies_alone_and_the_batch_goes_through(
    ralph, ralph_store, learner, other_learner, settings
):
    first = activity_record(
        actor=learner, verb=Verb.EXPERIENCED, object_type="lesson", object_id=1, object_title="x"
    )
    assert outbox_drain().sent == 1
    # The same statement id with other content is a conflict (HTTP 409) no retry can mend.
    OutboxEntry.objects.filter(event=first).update(
        state=OutboxState.PENDING, next_attempt_at=timezone.now()
    )
    settings.XAPI_ACTOR_MBOX = True
    learner.email = "lea.learner@capacitas.eu"
    learner.save()
    other_learner.email = "otto.other@capacitas.eu"
    other_learner.save()
    activity_record(
        actor=other_learner,
        verb=Verb.EXPERIENCED,
        object_type="lesson",
        object_id=2,
        object_title="y",
    )
    report = outbox_drain()
    assert (report.sent, report.dead) == (1, 1)
    refused = OutboxEntry.objects.get(event=first)
    assert refused.state == OutboxState.DEAD and refused.last_error.startswith("HTTP 409")
    assert refused.attempts == 2  # sent once, refused once: dead at once, no backoff


def test_the_task_forwards_once_the_transaction_commits(
    ralph, ralph_store, learner, course_tree, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        enrolment_create(user=learner, course=course_tree.course)
    entry = OutboxEntry.objects.get(event__actor=learner)
    assert entry.state == OutboxState.SENT
    assert len(held(ralph, {str(entry.statement_id)})) == 1
    assert ActivityEvent.objects.filter(actor=learner).count() == 1
