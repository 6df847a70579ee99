"""Retention: what is older than its period is deleted or minimised (docs/privacy.md)."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone

from learners.attempts.models import AttemptStatus, QuizAttempt
from learners.privacy.archive import delete_export_files
from learners.privacy.contributors import privacy_contributors
from learners.privacy.models import DataExport
from learners.progress.models import ActivityEvent


def records_purge(*, now: datetime | None = None) -> dict[str, int]:
    """Apply the retention settings: what is older than its period is deleted or minimised."""
    now = now or timezone.now()
    activity_before = now - timedelta(days=settings.PRIVACY_ACTIVITY_RETENTION_DAYS)
    answers_before = now - timedelta(days=settings.PRIVACY_ATTEMPT_ANSWERS_RETENTION_DAYS)
    link_before = now - timedelta(hours=settings.PRIVACY_EXPORT_LINK_HOURS)
    counts = {}
    with transaction.atomic():
        old_events = ActivityEvent.objects.filter(timestamp__lt=activity_before)
        # The log refuses deletes from application code (it is append-only); retention is the
        # one deliberate exception, so it calls the plain QuerySet.delete.
        # The count is of events alone, not of the rows that go with them (xAPI outbox).
        _total, by_model = models.QuerySet.delete(old_events)
        counts["activity_events_deleted"] = by_model.get(ActivityEvent._meta.label, 0)
        closed = QuizAttempt.objects.filter(submitted_at__lt=answers_before).exclude(
            status=AttemptStatus.OPEN
        )
        # Answers go; the score, the pass and the attempt number stay, so HR figures, attempts
        # left and certificates' final scores do not change.
        counts["attempt_answers_erased"] = closed.exclude(answers={}).update(answers={})
    expired = DataExport.objects.filter(ready_at__lt=link_before).exclude(file="")
    counts["export_files_deleted"] = delete_export_files(list(expired))
    for contributor in privacy_contributors():
        if contributor.purge is not None:
            counts[contributor.name] = contributor.purge(before=activity_before)
    return counts
