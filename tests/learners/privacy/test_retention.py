"""Retention: the purge deletes or minimises what is older than its period, and nothing else."""

import io
from datetime import timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from learners.models import ActivityEvent, DataExport, QuizAttempt
from learners.privacy.services import data_export_request
from learners.privacy.tasks import records_purge_task
from learners.progress.services import activity_record

pytestmark = pytest.mark.django_db


def _purge() -> str:
    out = io.StringIO()
    call_command("purge_expired_records", stdout=out)
    return out.getvalue()


def test_old_activity_goes_recent_stays(holder, settings):
    settings.PRIVACY_ACTIVITY_RETENTION_DAYS = 365
    old = ActivityEvent.objects.filter(actor=holder.user).count()
    assert old
    with time_machine.travel(timezone.now() + timedelta(days=200), tick=False):
        recent = activity_record(
            actor=holder.user,
            verb="http://adlnet.gov/expapi/verbs/experienced",
            object_type="lesson",
            object_id=1,
            object_title="Later lesson",
        )
        assert "activity_events_deleted: 0" in _purge()
    with time_machine.travel(timezone.now() + timedelta(days=366), tick=False):
        output = _purge()
    assert f"activity_events_deleted: {old}" in output
    assert list(ActivityEvent.objects.all()) == [recent]


def test_closed_attempts_lose_their_answers_not_their_scores(holder, settings):
    settings.PRIVACY_ATTEMPT_ANSWERS_RETENTION_DAYS = 730
    attempt = holder.attempt
    assert attempt.answers
    with time_machine.travel(timezone.now() + timedelta(days=729), tick=False):
        _purge()
    attempt.refresh_from_db()
    assert attempt.answers
    with time_machine.travel(timezone.now() + timedelta(days=731), tick=False):
        assert "attempt_answers_erased: 1" in _purge()
        assert "attempt_answers_erased: 0" in _purge()  # a second run finds nothing new
    refreshed = QuizAttempt.objects.get(pk=attempt.pk)
    assert refreshed.answers == {}
    assert (refreshed.percent, refreshed.passed, refreshed.snapshot) == (
        attempt.percent,
        attempt.passed,
        attempt.snapshot,
    )


def test_open_attempts_are_left_alone(holder, course_with_quiz, settings):
    from learners.attempts.services import attempt_save, attempt_start

    settings.PRIVACY_ATTEMPT_ANSWERS_RETENTION_DAYS = 1
    _tree, quiz = course_with_quiz
    attempt = attempt_start(user=holder.user, quiz=quiz)
    first = attempt.snapshot[0]
    choice = first["choices"][0]["id"] if "choices" in first else None
    if choice:
        attempt_save(user=holder.user, attempt=attempt, data={f"q-{first['id']}": [choice]})
    with time_machine.travel(timezone.now() + timedelta(days=30), tick=False):
        records_purge_task.enqueue()
    attempt.refresh_from_db()
    assert attempt.is_open and bool(attempt.answers) == bool(choice)


def test_expired_export_files_are_deleted(holder, settings, django_capture_on_commit_callbacks):
    settings.PRIVACY_EXPORT_LINK_HOURS = 24
    with django_capture_on_commit_callbacks(execute=True):
        export, _queued = data_export_request(user=holder.user)
    export.refresh_from_db()
    name, storage = export.file.name, export.file.storage
    assert storage.exists(name)
    with time_machine.travel(timezone.now() + timedelta(hours=23), tick=False):
        assert "export_files_deleted: 0" in _purge()
    with time_machine.travel(timezone.now() + timedelta(hours=25), tick=False):
        assert "export_files_deleted: 1" in _purge()
    assert not storage.exists(name)
    assert DataExport.objects.get(pk=export.pk).file == ""
