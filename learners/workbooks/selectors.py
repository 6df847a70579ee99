"""Reads of workbooks: a learner's state on a workbook, submissions, the review queue."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Avg, Count, F, Q
from django.utils import timezone

from courses.models import WorkbookPage
from courses.selectors.workbooks import (
    editable_workbook_ids,
    required_workbook_ids,
    workbook_course,
    workbooks_by_id,
)
from learners.accounts.models import User
from learners.progress.models import Enrolment
from learners.progress.selectors import enrolment_current
from learners.workbooks.models import SubmissionStatus, Workbook, WorkbookSubmission


@dataclass
class WorkbookState:
    page: WorkbookPage
    enrolment: Enrolment | None
    workbook: Workbook | None
    submissions: list[WorkbookSubmission] = field(default_factory=list)

    @property
    def latest(self) -> WorkbookSubmission | None:
        return self.submissions[0] if self.submissions else None

    @property
    def status(self) -> str:
        """draft, submitted, accepted or revise (the latest version's status)."""
        return self.latest.status if self.latest else "draft"

    @property
    def editable(self) -> bool:
        return self.status in ("draft", SubmissionStatus.REVISE)


def workbook_state(user: User, page: WorkbookPage) -> WorkbookState:
    """The learner's enrolment, draft and versions for a workbook page (four queries)."""
    course = workbook_course(page)
    enrolment = enrolment_current(user, course.pk) if course is not None else None
    if enrolment is None:
        return WorkbookState(page=page, enrolment=None, workbook=None)
    workbook = (
        Workbook.objects.filter(enrolment=enrolment, page__translation_key=page.translation_key)
        .order_by("pk")
        .first()
    )
    submissions = list(workbook.submissions.order_by("-number")) if workbook is not None else []
    return WorkbookState(page=page, enrolment=enrolment, workbook=workbook, submissions=submissions)


def submission_for_learner(user: User, public_id, number: int) -> WorkbookSubmission | None:
    """A version of the learner's own workbook, whether or not the page still exists."""
    return (
        WorkbookSubmission.objects.select_related("workbook")
        .filter(workbook__public_id=public_id, workbook__user=user, number=number)
        .first()
    )


def workbook_for_learner(user: User, public_id) -> Workbook | None:
    return Workbook.objects.filter(public_id=public_id, user=user).first()


def required_workbooks_accepted(enrolment: Enrolment) -> bool:
    """Completion requirement: every required live workbook of the course has an accepted
    version in this enrolment (two queries)."""
    if enrolment.course_id is None:
        return False
    from courses.selectors.content import get_course

    course = get_course(enrolment.course_id)
    if course is None:
        return False
    required = set(required_workbook_ids(course))
    if not required:
        return True
    accepted = set(
        WorkbookSubmission.objects.filter(
            workbook__enrolment=enrolment,
            workbook__page_id__in=required,
            status=SubmissionStatus.ACCEPTED,
        ).values_list("workbook__page_id", flat=True)
    )
    return required <= accepted


def accepted_capstone_titles(enrolment: Enrolment) -> list[str]:
    """Titles of the required workbooks accepted in this enrolment, for the certificate."""
    if enrolment.course_id is None:
        return []
    from courses.selectors.content import get_course

    course = get_course(enrolment.course_id)
    if course is None:
        return []
    required = required_workbook_ids(course)
    return list(
        WorkbookSubmission.objects.filter(
            workbook__enrolment=enrolment,
            workbook__page_id__in=required,
            status=SubmissionStatus.ACCEPTED,
        )
        .order_by("workbook__page_title")
        .values_list("workbook__page_title", flat=True)
        .distinct()
    )


# --- Review ------------------------------------------------------------------------------------


@dataclass
class QueueRow:
    page_id: int
    title: str
    waiting: int
    accepted: int
    revise: int
    average_percent: float | None
    oldest_waiting: datetime | None


@dataclass
class ReviewQueue:
    rows: list[QueueRow]
    waiting: list[WorkbookSubmission]


def review_queue(user: User) -> ReviewQueue:
    """Per workbook the reviewer may edit: counts by status, average score of reviewed versions,
    the oldest waiting; and every waiting version, oldest first. Four queries."""
    ids = editable_workbook_ids(user)
    if not ids:
        return ReviewQueue(rows=[], waiting=[])
    pages = workbooks_by_id(ids)
    stats = (
        WorkbookSubmission.objects.filter(workbook__page_id__in=ids)
        .values("workbook__page_id")
        .annotate(
            waiting=Count("pk", filter=Q(status=SubmissionStatus.SUBMITTED)),
            accepted=Count("pk", filter=Q(status=SubmissionStatus.ACCEPTED)),
            revise=Count("pk", filter=Q(status=SubmissionStatus.REVISE)),
            average=Avg(
                F("score") * 100 / F("max_score"),
                filter=Q(max_score__gt=0, score__isnull=False),
            ),
        )
    )
    by_page = {row["workbook__page_id"]: row for row in stats}
    waiting = list(
        WorkbookSubmission.objects.filter(
            workbook__page_id__in=ids, status=SubmissionStatus.SUBMITTED
        )
        .select_related("workbook__user__organisation")
        .order_by("submitted_at")
    )
    oldest: dict[int, datetime] = {}
    for submission in waiting:
        oldest.setdefault(submission.workbook.page_id, submission.submitted_at)
    rows = []
    for page_id, page in sorted(pages.items(), key=lambda item: item[1].title):
        row = by_page.get(page_id, {})
        average = row.get("average")
        rows.append(
            QueueRow(
                page_id=page_id,
                title=page.title,
                waiting=row.get("waiting", 0),
                accepted=row.get("accepted", 0),
                revise=row.get("revise", 0),
                average_percent=None if average is None else round(float(average), 1),
                oldest_waiting=oldest.get(page_id),
            )
        )
    return ReviewQueue(rows=rows, waiting=waiting)


def submission_for_reviewer(user: User, submission_id: int) -> WorkbookSubmission | None:
    """A version the reviewer may see: its workbook page is one they may edit (else None)."""
    submission = (
        WorkbookSubmission.objects.select_related("workbook__user", "workbook__enrolment")
        .filter(pk=submission_id)
        .first()
    )
    if submission is None or submission.workbook.page_id is None:
        return None
    if submission.workbook.page_id not in set(editable_workbook_ids(user)):
        return None
    return submission


def earlier_versions(submission: WorkbookSubmission) -> list[WorkbookSubmission]:
    return list(
        WorkbookSubmission.objects.filter(
            workbook_id=submission.workbook_id, number__lt=submission.number
        ).order_by("-number")
    )


def age_days(moment: datetime | None) -> int | None:
    return None if moment is None else (timezone.now() - moment).days


@dataclass(frozen=True)
class WorkbookStatusLine:
    """What HR may know of a workbook: its title, status and dates — never its content."""

    title: str
    course_title: str
    status: str  # "draft" or a SubmissionStatus value
    status_label: str
    versions: int
    last_submitted_at: datetime | None


def workbook_status_lines(person: User) -> list[WorkbookStatusLine]:
    """A person's workbooks in current enrolments with their latest status (two queries)."""
    from django.utils.translation import gettext as _

    workbooks = list(
        Workbook.objects.filter(user=person, enrolment__archived_at__isnull=True)
        .select_related("enrolment")
        .order_by("page_title")
    )
    latest: dict[int, WorkbookSubmission] = {}
    counts: dict[int, int] = {}
    for submission in WorkbookSubmission.objects.filter(
        workbook_id__in=[w.pk for w in workbooks]
    ).only("workbook_id", "status", "submitted_at", "number"):
        counts[submission.workbook_id] = counts.get(submission.workbook_id, 0) + 1
        best = latest.get(submission.workbook_id)
        if best is None or submission.number > best.number:
            latest[submission.workbook_id] = submission
    lines = []
    for workbook in workbooks:
        last = latest.get(workbook.pk)
        lines.append(
            WorkbookStatusLine(
                title=workbook.page_title,
                course_title=workbook.enrolment.course_title,
                status=last.status if last else "draft",
                status_label=last.get_status_display() if last else _("Draft, not submitted"),
                versions=counts.get(workbook.pk, 0),
                last_submitted_at=last.submitted_at if last else None,
            )
        )
    return lines
