"""Writes of SCORM runtime data: a SCO's commit, and what it changes in progress."""

from __future__ import annotations

from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone
from wagtail.models import Page

from learners.accounts.models import User
from learners.common.page_state import learner_pages_changed
from learners.progress.models import Enrolment, Verb
from learners.progress.services import activity_record, lesson_complete
from learners.scorm.models import ScormAttempt
from learners.scorm.rules import cmi_summary


class StaleCommit(Exception):
    """The commit names an attempt or a sequence number that is not the next one (HTTP 409)."""


def _latest(enrolment: Enrolment, lesson: Page, sco_identifier: str, *, lock: bool):
    rows = ScormAttempt.objects.filter(
        enrolment=enrolment, lesson=lesson, sco_identifier=sco_identifier
    ).order_by("-number")
    if lock:
        rows = rows.select_for_update()
    return rows.first()


def _attempt_for_commit(
    *,
    enrolment: Enrolment,
    lesson: Page,
    package_id: int,
    version: str,
    sco: dict,
    number: int,
) -> tuple[ScormAttempt, bool]:
    latest = _latest(enrolment, lesson, sco["identifier"], lock=True)
    if latest is not None and number == latest.number:
        return latest, False
    may_start = latest is None or (latest.completed_at is not None and latest.exit != "suspend")
    expected = 1 if latest is None else latest.number + 1
    if not may_start or number != expected:
        raise StaleCommit
    try:
        with transaction.atomic():
            row = ScormAttempt.objects.create(
                enrolment=enrolment,
                lesson=lesson,
                lesson_title=lesson.title[:255],
                package_id=package_id,
                version=version,
                sco_identifier=sco["identifier"][:255],
                sco_title=(sco.get("title") or "")[:255],
                number=number,
            )
    except IntegrityError as error:  # another request opened this attempt first
        raise StaleCommit from error
    return row, True


def _all_scos_complete(enrolment: Enrolment, lesson: Page, identifiers: list[str]) -> bool:
    done = set(
        ScormAttempt.objects.filter(
            enrolment=enrolment, lesson=lesson, completed_at__isnull=False
        ).values_list("sco_identifier", flat=True)
    )
    return all(identifier in done for identifier in identifiers)


def scorm_commit(
    *,
    user: User,
    enrolment: Enrolment,
    lesson: Page,
    package_id: int,
    version: str,
    sco: dict,
    sco_identifiers: list[str],
    number: int,
    sequence: int,
    session_key: str,
    cmi: dict,
) -> ScormAttempt:
    """Store what a SCO committed, in order; raises `StaleCommit` for an out-of-date commit.

    The first completion of every SCO of the lesson completes the lesson (through
    `progress.services.lesson_complete`, so course completion, certificates and HR follow);
    a pass or fail goes to the activity log with its score and time, once per change.
    """
    now = timezone.now()
    with transaction.atomic():
        row, created = _attempt_for_commit(
            enrolment=enrolment,
            lesson=lesson,
            package_id=package_id,
            version=version,
            sco=sco,
            number=number,
        )
        if sequence <= row.sequence:
            raise StaleCommit
        summary = cmi_summary(cmi, version=version)
        previous_success = {"passed": True, "failed": False}.get(
            row.lesson_status or row.success_status
        )
        if session_key != row.session_key:
            # A new session of the same attempt: the last one's time joins the earlier ones.
            row.earlier_seconds += row.session_seconds
            row.session_seconds = 0
            row.session_key = session_key[:64]
        if summary.session_seconds:
            row.session_seconds = summary.session_seconds
        row.sequence = sequence
        row.cmi = cmi
        row.lesson_status = summary.lesson_status
        row.completion_status = summary.completion_status
        row.success_status = summary.success_status
        row.score_raw = summary.score_raw
        row.score_min = summary.score_min
        row.score_max = summary.score_max
        row.score_percent = summary.score_percent
        row.location = summary.location
        row.suspend_data = summary.suspend_data
        row.exit = summary.exit
        row.interaction_count = summary.interaction_count
        newly_complete = summary.complete and row.completed_at is None
        if newly_complete:
            row.completed_at = now
        # A pass or fail goes to the log once, and again if it changes (a retry that passes).
        record_outcome = summary.success is not None and (
            not row.outcome_recorded or summary.success != previous_success
        )
        if record_outcome:
            row.outcome_recorded = True
        row.save()
        activity = {
            "actor": user,
            "object_type": "lesson",
            "object_id": lesson.pk,
            "object_title": lesson.title,
            "course_id": enrolment.course_id,
            "course_title": enrolment.course_title,
        }
        if created:
            activity_record(verb=Verb.ATTEMPTED, **activity)
        if record_outcome:
            activity_record(
                verb=Verb.PASSED if summary.success else Verb.FAILED,
                score=summary.score_percent,
                success=summary.success,
                completion=summary.complete,
                duration=timedelta(seconds=row.total_seconds),
                **activity,
            )
        if newly_complete and _all_scos_complete(enrolment, lesson, sco_identifiers):
            lesson_complete(user=user, enrolment=enrolment, lesson=lesson)
    return row


def scorm_erase(*, user: User) -> None:
    """Erasure: a learner's suspend data, locations and interactions are personal (free text a
    SCO may have captured); statuses, scores and times stay, as progress does, under the
    pseudonym the erasure gives the account."""
    ScormAttempt.objects.filter(enrolment__user=user).update(
        cmi={}, suspend_data="", location="", session_key=""
    )
    learner_pages_changed(user_ids=[user.pk])  # an update sends no signal


def scorm_purge(*, before) -> int:
    """Retention: the detailed data model (answers to interactions, suspend data) of attempts
    untouched since `before` is dropped; statuses, scores and times stay."""
    return (
        ScormAttempt.objects.filter(updated_at__lt=before)
        .exclude(cmi={}, suspend_data="")
        .update(cmi={}, suspend_data="")
    )
