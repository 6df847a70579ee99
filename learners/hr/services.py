"""HR writes: assignments (and the enrolments they cause), joiners, recurrence and reminders."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Exists, Max, OuterRef, Q, Subquery
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.models import Page

from courses.selectors.content import get_course
from learners.accounts.models import Department, HROfficerRole, Organisation, User
from learners.accounts.selectors import hr_scope_organisation_ids
from learners.certificates.models import Certificate
from learners.common.page_state import learner_pages_changed
from learners.hr.matrix import MatrixFilters
from learners.hr.models import (
    AssignedLearner,
    Assignment,
    AssignmentTarget,
    ExportFormat,
    ExportJob,
    ExportReport,
    ExportStatus,
    ReminderKind,
    ReminderLog,
)
from learners.hr.rules import (
    EXPIRING_WITHIN_DAYS,
    CourseStatus,
    joiner_due_on,
    recertification_due_on,
    recurrence_reopens,
    reminder_kind_due,
)
from learners.hr.selectors import HRFilters, scoped_rows
from learners.hr.tallies import tally_tracking
from learners.progress.models import ActivityEvent, Enrolment, EnrolmentSource, Verb
from learners.progress.services import enrolment_renew

logger = logging.getLogger(__name__)


CHUNK = 1000


class ExportInvalid(ValueError):
    """An export that cannot be queued (unknown format, nobody in scope)."""


class AssignmentInvalid(ValueError):
    """The assignment names something outside the officer's scope or is inconsistent."""


def _chunks(items: list, size: int = CHUNK) -> Iterable[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _enrol_many(*, users: list[User], course: Page) -> list[int]:
    """Enrol many people at once (assigned); returns ids of those newly enrolled.

    The per-person `enrolment_create` would cost a few queries each (thousands for a whole
    organisation); this does the same in a handful of bulk statements. The partial unique
    constraint (one current enrolment per course) makes a concurrent self-enrolment harmless:
    the conflicting row is skipped.
    """
    created: list[int] = []
    for batch in _chunks(users):
        ids = [u.pk for u in batch]
        enrolled = set(
            Enrolment.objects.filter(
                user_id__in=ids, course=course, archived_at__isnull=True
            ).values_list("user_id", flat=True)
        )
        missing = [u for u in batch if u.pk not in enrolled]
        if not missing:
            continue
        cycles = dict(
            Enrolment.objects.filter(user_id__in=[u.pk for u in missing], course=course)
            .values("user_id")
            .annotate(last=Max("cycle"))
            .values_list("user_id", "last")
        )
        Enrolment.objects.bulk_create(
            [
                Enrolment(
                    user=u,
                    course=course,
                    course_title=course.title,
                    cycle=cycles.get(u.pk, 0) + 1,
                    source=EnrolmentSource.ASSIGNED,
                )
                for u in missing
            ],
            ignore_conflicts=True,
        )
        # bulk_create sends no signal: these people's cached pages show them not enrolled.
        learner_pages_changed(user_ids=[u.pk for u in missing])
        # Same statement activity_record writes, in bulk.
        ActivityEvent.objects.bulk_create(
            [
                ActivityEvent(
                    actor=u,
                    verb=Verb.REGISTERED,
                    object_type="course",
                    object_id=course.pk,
                    object_title=course.title[:255],
                    course_id=course.pk,
                    course_title=course.title[:255],
                    organisation_id=u.organisation_id,
                )
                for u in missing
            ]
        )
        created.extend(u.pk for u in missing)
    return created


def _assign_users(*, assignment: Assignment, users: list[User], due_on: date) -> list[int]:
    """Materialise membership, enrol, and return the ids of people newly assigned."""
    already = set(
        AssignedLearner.objects.filter(assignment=assignment).values_list("user_id", flat=True)
    )
    fresh = [u for u in users if u.pk not in already]
    AssignedLearner.objects.bulk_create(
        [AssignedLearner(assignment=assignment, user=u, due_on=due_on) for u in fresh],
        batch_size=CHUNK,
        ignore_conflicts=True,
    )
    learner_pages_changed(user_ids=[u.pk for u in fresh])  # bulk_create sends no signal
    course = get_course(assignment.course_id) if assignment.course_id else None
    if course is not None and fresh:
        _enrol_many(users=fresh, course=course)
    return [u.pk for u in fresh]


def _notify_later(assignment: Assignment, user_ids: list[int], *, due_on: date) -> None:
    if not user_ids:
        return
    from learners.hr.tasks import assignment_notify

    transaction.on_commit(
        lambda: assignment_notify.enqueue(
            assignment_id=assignment.pk, user_ids=user_ids, due_on=due_on.isoformat()
        )
    )


def assignment_create(
    *,
    created_by: User,
    course: Page,
    organisation: Organisation,
    target: str,
    due_on: date,
    department: Department | None = None,
    learners: Iterable[User] = (),
    recurrence_months: int | None = None,
) -> Assignment:
    """Assign `course` to people in the officer's scope, enrol them and e-mail them.

    Department and organisation targets cover the people there now; people who join later
    are added by `assignment_memberships_sync` (called when a person's profile changes).
    """
    scope = hr_scope_organisation_ids(created_by)
    if organisation.pk not in scope:
        raise AssignmentInvalid(_("That organisation is outside your scope."))
    if target not in AssignmentTarget.values:
        raise AssignmentInvalid(_("Choose whom to assign the course to."))
    if recurrence_months is not None and not 1 <= recurrence_months <= 120:
        raise AssignmentInvalid(_("Recertification must be between 1 and 120 months."))
    people: list[User]
    if target == AssignmentTarget.DEPARTMENT:
        if department is None or department.organisation_id != organisation.pk:
            raise AssignmentInvalid(_("Choose a department of the organisation."))
        people = list(User.objects.filter(department=department, is_active=True))
    elif target == AssignmentTarget.ORGANISATION:
        department = None
        people = list(User.objects.filter(organisation=organisation, is_active=True))
    else:
        department = None
        people = list(learners)
        if not people:
            raise AssignmentInvalid(_("Name at least one learner."))
        if any(p.organisation_id not in scope for p in people):
            raise AssignmentInvalid(_("Some of these people are outside your scope."))
    with transaction.atomic(), tally_tracking(user_ids=[p.pk for p in people]):
        assignment = Assignment.objects.create(
            course=course,
            course_title=course.title,
            organisation=organisation,
            target=target,
            department=department,
            due_on=due_on,
            recurrence_months=recurrence_months,
            created_by=created_by,
        )
        new_ids = _assign_users(assignment=assignment, users=people, due_on=due_on)
        _notify_later(assignment, new_ids, due_on=due_on)
    return assignment


def assignment_memberships_sync(*, user: User, today: date | None = None) -> list[Assignment]:
    """Add a person to the department and organisation assignments that now cover them."""
    if not user.is_active or user.organisation_id is None:
        return []
    today = today or timezone.localdate()
    covering = Q(target=AssignmentTarget.ORGANISATION, organisation_id=user.organisation_id)
    if user.department_id:
        covering |= Q(target=AssignmentTarget.DEPARTMENT, department_id=user.department_id)
    assignments = list(
        Assignment.objects.filter(covering, course__isnull=False).exclude(
            Exists(AssignedLearner.objects.filter(assignment=OuterRef("pk"), user=user))
        )
    )
    for assignment in assignments:
        due_on = joiner_due_on(assignment_due_on=assignment.due_on, today=today)
        with transaction.atomic(), tally_tracking(user_ids=[user.pk]):
            new_ids = _assign_users(assignment=assignment, users=[user], due_on=due_on)
            _notify_later(assignment, new_ids, due_on=due_on)
    return assignments


def assignment_recurrences_reopen(*, today: date) -> int:
    """Open a new cycle for recurring assignments whose completion is about to lapse.

    A completion of a course assigned every N months reopens RENEWAL_WINDOW_DAYS before
    completion + N months; the new cycle is due on that date. Returns cycles opened.
    """
    completed_at = Enrolment.objects.filter(
        user=OuterRef("user_id"),
        course=OuterRef("assignment__course_id"),
        archived_at__isnull=True,
        completed_at__isnull=False,
    ).values("completed_at")[:1]
    rows = (
        AssignedLearner.objects.filter(
            assignment__recurrence_months__isnull=False,
            assignment__course__isnull=False,
            user__is_active=True,
        )
        .annotate(completed_at=Subquery(completed_at))
        .filter(completed_at__isnull=False)
        .select_related("user", "assignment")
    )
    opened = 0
    for row in rows.iterator(chunk_size=CHUNK):
        completed_on = timezone.localdate(row.completed_at)
        months = row.assignment.recurrence_months
        if not recurrence_reopens(today=today, completed_on=completed_on, recurrence_months=months):
            continue
        course = get_course(row.assignment.course_id)
        if course is None:
            continue
        new_due = recertification_due_on(completed_on, months)
        with transaction.atomic(), tally_tracking(user_ids=[row.user_id]):
            enrolment_renew(user=row.user, course=course, source=EnrolmentSource.ASSIGNED)
            # Every assignment of this course to the person is now due on the new date.
            AssignedLearner.objects.filter(user=row.user, assignment__course_id=course.pk).update(
                due_on=new_due
            )
            learner_pages_changed(user_ids=[row.user_id])  # an update sends no signal
        opened += 1
    return opened


def _send_once(*, user: User, kind: str, key: str, subject: str, body: str) -> bool:
    """Insert the log row, then send; a failure to send rolls the row back for the next run."""
    with transaction.atomic():
        _log, created = ReminderLog.objects.get_or_create(user=user, kind=kind, key=key)
        if created:
            send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])
    return created


REMINDER_SUBJECTS = {
    ReminderKind.DUE_14: gettext_lazy("Reminder: “{course}” is due on {due}"),
    ReminderKind.DUE_3: gettext_lazy("Due in three days: “{course}” ({due})"),
    ReminderKind.OVERDUE: gettext_lazy("Overdue: “{course}” was due on {due}"),
}


def reminders_send(*, today: date) -> int:
    """E-mail learners 14 and 3 days before a due date and once overdue, each once.

    Thresholds are windows (see reminder_kind_due), so a skipped day is caught up;
    overlapping assignments of the same course and due date share one reminder.
    """
    completed = Enrolment.objects.filter(
        user=OuterRef("user_id"),
        course=OuterRef("assignment__course_id"),
        archived_at__isnull=True,
        completed_at__isnull=False,
    )
    rows = (
        AssignedLearner.objects.filter(
            due_on__lte=today + timedelta(days=14),
            user__is_active=True,
            assignment__course__isnull=False,
        )
        .exclude(Exists(completed))
        .select_related("user", "assignment")
        .order_by("due_on", "pk")
    )
    sent = 0
    for row in rows.iterator(chunk_size=CHUNK):
        kind = reminder_kind_due(today=today, due_on=row.due_on)
        if kind is None:
            continue
        context = {
            "person": row.user,
            "course": row.assignment.course_title,
            "due_on": row.due_on,
            "kind": kind,
            "site_url": settings.SITE_URL,
        }
        subject = str(REMINDER_SUBJECTS[kind]).format(
            course=row.assignment.course_title, due=row.due_on.isoformat()
        )
        if _send_once(
            user=row.user,
            kind=kind,
            key=f"course{row.assignment.course_id}:{row.due_on.isoformat()}",
            subject=subject,
            body=render_to_string("learners/hr/email/reminder.txt", context),
        ):
            sent += 1
    return sent


DIGEST_ITEMS = 25


def digests_send(*, today: date) -> int:
    """Once per ISO week, e-mail each HR officer the overdue and expiring items in scope."""
    year, week, _day = today.isocalendar()
    key = f"{year}-W{week:02d}"
    officers = User.objects.filter(
        Exists(HROfficerRole.objects.filter(user=OuterRef("pk"))), is_active=True
    ).exclude(Exists(ReminderLog.objects.filter(user=OuterRef("pk"), kind="digest", key=key)))
    sent = 0
    for officer in officers:
        rows = scoped_rows(officer, today=today).select_related("user")
        overdue = rows.filter(status=CourseStatus.OVERDUE).order_by("due_on", "pk")
        expiring = (
            Certificate.objects.filter(
                user__organisation_id__in=hr_scope_organisation_ids(officer),
                revoked_at__isnull=True,
                superseded_at__isnull=True,
                expires_on__gte=today,
                expires_on__lte=today + timedelta(days=EXPIRING_WITHIN_DAYS),
            )
            .select_related("user")
            .order_by("expires_on")
        )
        context = {
            "officer": officer,
            "overdue_count": overdue.count(),
            "overdue": list(overdue[:DIGEST_ITEMS]),
            "expiring_count": expiring.count(),
            "expiring": list(expiring[:DIGEST_ITEMS]),
            "week": key,
            "site_url": settings.SITE_URL,
        }
        if _send_once(
            user=officer,
            kind=ReminderKind.DIGEST,
            key=key,
            subject=_("Capacitas HR digest {week}: {overdue} overdue, {expiring} expiring").format(
                week=key, overdue=context["overdue_count"], expiring=context["expiring_count"]
            ),
            body=render_to_string("learners/hr/email/digest.txt", context),
        ):
            sent += 1
    return sent


def learner_department_set(
    *, changed_by: User, person: User, department: Department | None
) -> User:
    """HR moves a person in scope to another department of their own organisation."""
    if person.organisation_id not in hr_scope_organisation_ids(changed_by):
        raise AssignmentInvalid(_("That person is outside your scope."))
    if department is not None and department.organisation_id != person.organisation_id:
        raise AssignmentInvalid(_("Choose a department of the person's organisation."))
    with transaction.atomic():
        person.department = department
        # The post_save receiver adds the department's assignments (people who join later).
        person.save(update_fields=["department"])
    return person


def export_job_start(
    *,
    requester: User,
    filters: HRFilters | MatrixFilters,
    format: str,
    report: str = ExportReport.TABLE,
) -> ExportJob:
    """Queue an export of the HR table (or the compliance matrix) as `requester` filtered it;
    the task builds the file.

    Only the query string is kept: the task re-reads scope and filters when it runs."""
    if format not in ExportFormat.values:
        raise ExportInvalid(_("Choose CSV or Excel."))
    if report not in ExportReport.values:
        raise ExportInvalid(_("Choose the learners table or the compliance matrix."))
    if not hr_scope_organisation_ids(requester):
        raise ExportInvalid(_("You track no organisation."))
    from learners.hr.tasks import hr_export_build

    with transaction.atomic():
        job = ExportJob.objects.create(
            requester=requester, format=format, report=report, filters=filters.as_query()
        )
        transaction.on_commit(lambda: hr_export_build.enqueue(job_id=job.pk))
    return job


def export_jobs_purge(*, now: datetime | None = None) -> int:
    """Delete export files past their expiry, and jobs that never finished within a day (a
    worker that died); returns the jobs removed. Files go first, so none is left orphaned."""
    now = now or timezone.now()
    stale = ExportJob.objects.filter(
        Q(expires_at__lt=now)
        | Q(
            status__in=[ExportStatus.QUEUED, ExportStatus.RUNNING],
            created_at__lt=now - timedelta(days=1),
        )
        | Q(status=ExportStatus.FAILED, created_at__lt=now - timedelta(days=1))
    )
    removed = 0
    for job in stale.iterator(chunk_size=CHUNK):
        with transaction.atomic():
            if job.file:
                job.file.delete(save=False)
            job.delete()
        removed += 1
    return removed
