"""Reads of the My data page."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings

from learners.accounts.models import User
from learners.attempts.models import QuizAttempt
from learners.certificates.models import Certificate
from learners.privacy.models import DataExport, ExportStatus
from learners.progress.models import ActivityEvent, Enrolment


@dataclass(frozen=True)
class HeldSummary:
    enrolments: int
    attempts: int
    activity_events: int
    certificates: int


@dataclass(frozen=True)
class ExportState:
    export: DataExport | None
    expires_at: datetime | None

    @property
    def pending(self) -> bool:
        return self.export is not None and self.export.status == ExportStatus.PENDING

    @property
    def failed(self) -> bool:
        return self.export is not None and self.export.status == ExportStatus.FAILED

    @property
    def downloadable(self) -> bool:
        return self.expires_at is not None


def held_summary(user: User) -> HeldSummary:
    """How many records of each kind are held about the person (four counts)."""
    return HeldSummary(
        enrolments=Enrolment.objects.filter(user=user).count(),
        attempts=QuizAttempt.objects.filter(user=user).count(),
        activity_events=ActivityEvent.objects.filter(actor=user).count(),
        certificates=Certificate.objects.filter(user=user).count(),
    )


def latest_export(user: User, *, now: datetime) -> ExportState:
    """The person's latest export and, while its link works, when the link stops working."""
    export = DataExport.objects.filter(user=user).first()
    expires_at = None
    if export is not None and export.status == ExportStatus.READY and export.file:
        expires_at = export.ready_at + timedelta(hours=settings.PRIVACY_EXPORT_LINK_HOURS)
        if expires_at <= now:
            expires_at = None
    return ExportState(export=export, expires_at=expires_at)
