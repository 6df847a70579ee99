from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from wagtail.models import Page

from courses.selectors import get_course, live_lesson_ids_by_course, requires_quizzes
from learners import rules
from learners.models import Enrolment, LessonProgress, User, Verb
from learners.selectors.attempts import required_quizzes_passed
from learners.services.activity import activity_record
from learners.signals import course_completed


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
        row = _progress_row(enrolment, lesson)
        # Under the enrolment lock no one else writes this row: the values just read are current.
        first_view = row.first_viewed_at is None
        if first_view:
            row.first_viewed_at = now
        row.last_viewed_at = now
        row.save(update_fields=["first_viewed_at", "last_viewed_at"])
        Enrolment.objects.filter(pk=enrolment.pk).update(last_lesson=lesson, last_activity_at=now)
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
    return row


def lesson_complete(*, user: User, enrolment: Enrolment, lesson: Page) -> bool:
    """Mark a lesson complete; returns False when it already was (the call is idempotent)."""
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


# Other parts of learners (quizzes) register extra completion requirements here:
# each is called with the enrolment and returns True when its requirement is met.
EXTRA_REQUIREMENTS: list = []


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
    if not rules.lessons_complete(lesson_ids, completed_ids):
        return False
    if requires_quizzes(course) and not (
        required_quizzes_passed(enrolment)
        and all(requirement(enrolment) for requirement in EXTRA_REQUIREMENTS)
    ):
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
