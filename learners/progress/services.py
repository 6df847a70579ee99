"""Writes of progress: enrolment, lesson views and completion, course completion, activity."""

from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.models import Page

from courses.selectors.content import (
    get_course,
    live_lesson_ids_by_course,
    requires_quizzes,
    self_enrolment_open,
)
from courses.selectors.translations import canonical_page
from learners.accounts.models import User
from learners.common.languages import supported_language
from learners.common.page_state import learner_pages_changed
from learners.progress.models import ActivityEvent, Enrolment, EnrolmentSource, LessonProgress, Verb
from learners.progress.rules import lesson_view_due, lessons_complete
from learners.progress.signals import activity_recorded, course_completed


def activity_record(
    *,
    actor: User,
    verb: Verb,
    object_type: str,
    object_id: int | None,
    object_title: str,
    course_id: int | None = None,
    course_title: str = "",
    score: Decimal | float | None = None,
    success: bool | None = None,
    completion: bool | None = None,
    duration: timedelta | None = None,
) -> ActivityEvent:
    """Append one event to the activity log.

    `activity_recorded` is sent in the same transaction, so the xAPI outbox row of each
    configured LRS exists exactly when the event does.
    """
    # savepoint=False: no extra statements inside the caller's transaction.
    with transaction.atomic(savepoint=False):
        event = ActivityEvent.objects.create(
            actor=actor,
            verb=verb,
            object_type=object_type,
            object_id=object_id,
            object_title=object_title[:255],
            course_id=course_id,
            course_title=course_title[:255],
            organisation_id=actor.organisation_id,
            result_score=None if score is None else Decimal(str(round(float(score), 2))),
            result_success=success,
            result_completion=completion,
            result_duration=duration,
        )
        activity_recorded.send(sender=ActivityEvent, event=event)
    return event


class EnrolmentRefused(PermissionDenied):
    pass


def enrolment_create(
    *,
    user: User,
    course: Page,
    source: EnrolmentSource = EnrolmentSource.SELF,
    language: str = "",
) -> tuple[Enrolment, bool]:
    """Enrol `user` in `course`; enrolling again returns the current enrolment unchanged.

    `language` is the one the learner enrolled in (the request's): their certificates' default.

    Self-enrolment is refused when the course only admits assigned learners. The enrolment
    belongs to the course's canonical page, whatever language it was made from.
    """
    course = canonical_page(course)
    existing = Enrolment.objects.filter(user=user, course=course, archived_at__isnull=True).first()
    if existing:
        return existing, False
    if source == EnrolmentSource.SELF and not self_enrolment_open(course):
        raise EnrolmentRefused(_("This course is open only to learners assigned to it."))
    last_cycle = (
        Enrolment.objects.filter(user=user, course=course)
        .order_by("-cycle")
        .values_list("cycle", flat=True)
        .first()
        or 0
    )
    try:
        with transaction.atomic():
            enrolment = Enrolment.objects.create(
                user=user,
                course=course,
                course_title=course.title,
                cycle=last_cycle + 1,
                source=source,
                language=supported_language(language) or "",
            )
            activity_record(
                actor=user,
                verb=Verb.REGISTERED,
                object_type="course",
                object_id=course.pk,
                object_title=course.title,
                course_id=course.pk,
                course_title=course.title,
            )
    except IntegrityError:
        # A concurrent request enrolled first; the constraint kept one row.
        return Enrolment.objects.get(user=user, course=course, archived_at__isnull=True), False
    return enrolment, True


def enrolment_renew(
    *,
    user: User,
    course: Page,
    source: EnrolmentSource = EnrolmentSource.SELF,
    language: str = "",
) -> Enrolment:
    """Start a new cycle of a completed course (recertification); earlier cycles are kept."""
    from django.utils import timezone

    course = canonical_page(course)
    with transaction.atomic():
        current = (
            Enrolment.objects.select_for_update()
            .filter(user=user, course=course, archived_at__isnull=True)
            .first()
        )
        if current is not None:
            if current.completed_at is None:
                return current  # still working through the current cycle
            current.archived_at = timezone.now()
            current.save(update_fields=["archived_at"])
        enrolment, _ = enrolment_create(user=user, course=course, source=source, language=language)
    return enrolment


def _lock_enrolment(enrolment: Enrolment) -> None:
    """Serialise progress writes of one enrolment (PostgreSQL; a no-op on SQLite).

    Without it, two lessons completed at the same moment could each miss the other's row and
    neither would record the course completion. Every writer takes this lock first, so the
    order of locks is the same everywhere and they cannot deadlock.
    """
    if not connection.features.has_select_for_update:
        return  # SQLite: one writer at a time already
    list(
        Enrolment.objects.select_for_update(no_key=True)
        .filter(pk=enrolment.pk)
        .values_list("pk", flat=True)
    )


def _progress_row(enrolment: Enrolment, lesson: Page) -> LessonProgress:
    try:
        with transaction.atomic():
            row, _ = LessonProgress.objects.get_or_create(
                enrolment=enrolment, lesson=lesson, defaults={"lesson_title": lesson.title}
            )
    except IntegrityError:
        row = LessonProgress.objects.get(enrolment=enrolment, lesson=lesson)
    return row


def lesson_view_record(*, user: User, enrolment: Enrolment, lesson: Page) -> LessonProgress:
    """Note that the learner opened a lesson: first and last viewed times, resume point."""
    now = timezone.now()
    with transaction.atomic():
        _lock_enrolment(enrolment)
        # Under the enrolment lock no one else writes this row. A lesson seen before costs one
        # UPDATE; the first view inserts the row, and ON CONFLICT DO NOTHING keeps a single
        # row should another writer get there first (SQLite has no lock to take).
        rows = LessonProgress.objects.filter(enrolment=enrolment, lesson=lesson)
        if rows.update(last_viewed_at=now):
            first_view = rows.filter(first_viewed_at__isnull=True).update(first_viewed_at=now) > 0
        else:
            LessonProgress.objects.bulk_create(
                [
                    LessonProgress(
                        enrolment=enrolment,
                        lesson=lesson,
                        lesson_title=lesson.title,
                        first_viewed_at=now,
                        last_viewed_at=now,
                    )
                ],
                ignore_conflicts=True,
            )
            first_view = True
        Enrolment.objects.filter(pk=enrolment.pk).update(last_lesson=lesson, last_activity_at=now)
        # QuerySet.update() and bulk_create() above send no signal: the learner's cached pages
        # (resume point, activity time, viewed lessons) are stale.
        learner_pages_changed(user_ids=[enrolment.user_id])
        if first_view:
            activity_record(
                actor=user,
                verb=Verb.EXPERIENCED,
                object_type="lesson",
                object_id=lesson.pk,
                object_title=lesson.title,
                course_id=enrolment.course_id,
                course_title=enrolment.course_title,
            )
        row = rows.get()
    enrolment.last_lesson_id = lesson.pk
    enrolment.last_activity_at = now
    return row


def lesson_view_note(*, user: User, enrolment: Enrolment, lesson: Page, viewed: bool) -> bool:
    """Record a lesson page view when it changes what anyone reads (see `lesson_view_due`).

    `viewed`: whether the learner opened this lesson before. Returns True when it wrote.
    A translated lesson's view is recorded on its canonical lesson.
    """
    lesson = canonical_page(lesson)
    if not lesson_view_due(
        lesson_id=lesson.pk,
        viewed=viewed,
        last_lesson_id=enrolment.last_lesson_id,
        last_activity_at=enrolment.last_activity_at,
        now=timezone.now(),
    ):
        return False
    lesson_view_record(user=user, enrolment=enrolment, lesson=lesson)
    return True


def lesson_complete(*, user: User, enrolment: Enrolment, lesson: Page) -> bool:
    """Mark a lesson complete; returns False when it already was (the call is idempotent).

    A translated lesson is recorded on its canonical lesson: the progress is one.
    """
    lesson = canonical_page(lesson)
    now = timezone.now()
    with transaction.atomic():
        _lock_enrolment(enrolment)
        row = _progress_row(enrolment, lesson)
        newly = (
            LessonProgress.objects.filter(pk=row.pk, completed_at__isnull=True).update(
                completed_at=now,
                last_viewed_at=now,
            )
            == 1
        )
        if not newly:
            return False
        LessonProgress.objects.filter(pk=row.pk, first_viewed_at__isnull=True).update(
            first_viewed_at=now
        )
        Enrolment.objects.filter(pk=enrolment.pk).update(last_lesson=lesson, last_activity_at=now)
        # The updates above send no signal: the learner's cached pages show the lesson undone.
        learner_pages_changed(user_ids=[enrolment.user_id])
        activity_record(
            actor=user,
            verb=Verb.COMPLETED,
            object_type="lesson",
            object_id=lesson.pk,
            object_title=lesson.title,
            course_id=enrolment.course_id,
            course_title=enrolment.course_title,
            completion=True,
        )
        enrolment_completion_check(enrolment=enrolment)
    return True


# Rooms above progress (quizzes today, workbooks next) add their completion requirements here
# from `LearnersConfig.ready()`, so progress never imports them: each is called with the
# enrolment and returns True when its requirement is met.
EXTRA_REQUIREMENTS: list[Callable[[Enrolment], bool]] = []
EVERY_RULE_REQUIREMENTS: list[Callable[[Enrolment], bool]] = []


def completion_requirement_register(
    requirement: Callable[[Enrolment], bool], *, every_rule: bool = False
) -> None:
    """Add a condition that a course must meet before it completes.

    By default it counts only under the "lessons and quizzes" rule; `every_rule=True` makes it
    count whatever the rule (a required capstone workbook does not depend on quizzes).
    """
    registry = EVERY_RULE_REQUIREMENTS if every_rule else EXTRA_REQUIREMENTS
    if requirement not in registry:
        registry.append(requirement)


def enrolment_completion_check(*, enrolment: Enrolment) -> bool:
    """Record the course completion the first time its rules are met; True if recorded now.

    A completion, once recorded, stays: later content changes never undo it.
    """
    if enrolment.course_id is None:
        return False
    course = get_course(enrolment.course_id)
    if course is None:
        return False
    lesson_ids = live_lesson_ids_by_course([course.pk]).get(course.pk, [])
    completed_ids = LessonProgress.objects.filter(
        enrolment=enrolment, completed_at__isnull=False
    ).values_list("lesson_id", flat=True)
    if not lessons_complete(lesson_ids, completed_ids):
        return False
    if requires_quizzes(course) and not all(
        requirement(enrolment) for requirement in EXTRA_REQUIREMENTS
    ):
        return False
    if not all(requirement(enrolment) for requirement in EVERY_RULE_REQUIREMENTS):
        return False
    now = timezone.now()
    with transaction.atomic():
        recorded = (
            Enrolment.objects.filter(pk=enrolment.pk, completed_at__isnull=True).update(
                completed_at=now, last_activity_at=now
            )
            == 1
        )
        if recorded:
            enrolment.completed_at = now
            # An update (no signal): the cached pages show the course not completed.
            learner_pages_changed(user_ids=[enrolment.user_id])
            activity_record(
                actor=enrolment.user,
                verb=Verb.COMPLETED,
                object_type="course",
                object_id=course.pk,
                object_title=course.title,
                course_id=course.pk,
                course_title=course.title,
                completion=True,
            )
            course_completed.send(sender=Enrolment, enrolment=enrolment)
    return recorded
