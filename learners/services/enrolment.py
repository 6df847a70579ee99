from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from wagtail.models import Page

from courses.selectors import self_enrolment_open
from learners.models import Enrolment, EnrolmentSource, User, Verb
from learners.services.activity import activity_record


class EnrolmentRefused(PermissionDenied):
    pass


def enrolment_create(
    *,
    user: User,
    course: Page,
    source: EnrolmentSource = EnrolmentSource.SELF,
) -> tuple[Enrolment, bool]:
    """Enrol `user` in `course`; enrolling again returns the current enrolment unchanged.

    Self-enrolment is refused when the course only admits assigned learners.
    """
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
    *, user: User, course: Page, source: EnrolmentSource = EnrolmentSource.SELF
) -> Enrolment:
    """Start a new cycle of a completed course (recertification); earlier cycles are kept."""
    from django.utils import timezone

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
        enrolment, _ = enrolment_create(user=user, course=course, source=source)
    return enrolment
