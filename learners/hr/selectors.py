"""Reads for the HR area. Every function starts from the viewer's scope and costs a fixed
number of queries, whatever the number of learners (the status is computed in SQL so filters,
sorting and pagination stay in the database)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.db.models import (
    BooleanField,
    Case,
    CharField,
    Count,
    Exists,
    F,
    Max,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from courses.selectors.certificates import courses_for_assignment
from learners.accounts.models import Department, Organisation, User
from learners.accounts.selectors import hr_scope_organisation_ids
from learners.attempts.models import AttemptStatus, QuizAttempt
from learners.certificates.models import Certificate
from learners.hr.models import AssignedLearner, Assignment
from learners.hr.rules import EXPIRING_WITHIN_DAYS, CourseStatus
from learners.progress.models import Enrolment

STATUS_LABELS = {
    CourseStatus.NOT_STARTED: _("Not started"),
    CourseStatus.IN_PROGRESS: _("In progress"),
    CourseStatus.OVERDUE: _("Overdue"),
    CourseStatus.COMPLETED: _("Completed"),
    CourseStatus.CERTIFIED: _("Certified"),
    CourseStatus.EXPIRING: _("Certificate expiring"),
    CourseStatus.EXPIRED: _("Certificate expired"),
}


STATUS_BADGES = {
    CourseStatus.OVERDUE: "badge-danger",
    CourseStatus.EXPIRED: "badge-danger",
    CourseStatus.EXPIRING: "badge-warn",
    CourseStatus.CERTIFIED: "badge-ok",
    CourseStatus.COMPLETED: "badge-ok",
}


SORTS = {
    "name": ("user__full_name", "user__email", "course_title"),
    "email": ("user__email", "course_title"),
    "organisation": ("user__organisation__name", "user__full_name", "course_title"),
    "course": ("course_title", "user__full_name"),
    "status": ("status", "user__full_name"),
    "due": (F("due_on").asc(nulls_last=True), "user__full_name"),
    "completed": (F("completed_at").desc(nulls_last=True), "user__full_name"),
}


PAGE_SIZE = 50


# An open attempt has no score yet; the best score is over the attempts that were closed.
CLOSED_ATTEMPTS = [AttemptStatus.SUBMITTED, AttemptStatus.EXPIRED]


class OutOfScope(Exception):
    """A filter named an organisation, department or assignment outside the viewer's scope."""


def scoped_users(viewer: User) -> QuerySet[User]:
    return User.objects.filter(organisation_id__in=hr_scope_organisation_ids(viewer))


def scoped_assignments(viewer: User) -> QuerySet[Assignment]:
    return Assignment.objects.filter(organisation_id__in=hr_scope_organisation_ids(viewer))


def scoped_departments(viewer: User) -> QuerySet[Department]:
    return Department.objects.filter(
        organisation_id__in=hr_scope_organisation_ids(viewer)
    ).select_related("organisation")


def scoped_organisations(viewer: User) -> QuerySet[Organisation]:
    return Organisation.objects.filter(pk__in=hr_scope_organisation_ids(viewer))


def _earliest_due() -> Subquery:
    """The earliest due date among the assignments of this enrolment's course to its learner."""
    return Subquery(
        AssignedLearner.objects.filter(
            user=OuterRef("user_id"), assignment__course=OuterRef("course_id")
        )
        .order_by("due_on")
        .values("due_on")[:1]
    )


def annotate_status(enrolments: QuerySet[Enrolment], *, today: date) -> QuerySet[Enrolment]:
    """Add due_on, has_certificate, certificate_expires_on and status (the SQL twin of
    rules.learner_course_status; tests check the two agree)."""
    # Filter on superseded_at, not superseded_by: an IS NULL test on the one-to-one's unique
    # index lured SQLite into scanning every certificate instead of using the enrolment index.
    live_certificate = Certificate.objects.filter(
        enrolment=OuterRef("pk"), revoked_at__isnull=True, superseded_at__isnull=True
    )
    done = Q(completed_at__isnull=False)
    return enrolments.annotate(
        due_on=_earliest_due(),
        has_certificate=Exists(live_certificate),
        certificate_expires_on=Subquery(
            live_certificate.order_by("-issued_at").values("expires_on")[:1]
        ),
    ).annotate(
        status=Case(
            When(done & Q(has_certificate=False), then=Value(CourseStatus.COMPLETED)),
            When(done & Q(certificate_expires_on__isnull=True), then=Value(CourseStatus.CERTIFIED)),
            When(done & Q(certificate_expires_on__lt=today), then=Value(CourseStatus.EXPIRED)),
            When(
                done & Q(certificate_expires_on__lte=today + timedelta(days=EXPIRING_WITHIN_DAYS)),
                then=Value(CourseStatus.EXPIRING),
            ),
            When(done, then=Value(CourseStatus.CERTIFIED)),
            When(due_on__lt=today, then=Value(CourseStatus.OVERDUE)),
            When(last_activity_at__isnull=False, then=Value(CourseStatus.IN_PROGRESS)),
            default=Value(CourseStatus.NOT_STARTED),
            output_field=CharField(),
        ),
    )


def scoped_rows(viewer: User, *, today: date) -> QuerySet[Enrolment]:
    """Every current enrolment of every person in scope, with its HR status."""
    return annotate_status(
        Enrolment.objects.filter(
            archived_at__isnull=True,
            user__organisation_id__in=hr_scope_organisation_ids(viewer),
        ),
        today=today,
    )


@dataclass(frozen=True)
class HRFilters:
    organisation: int | None = None
    department: int | None = None
    course: int | None = None
    status: str = ""
    assignment: int | None = None
    q: str = ""
    sort: str = "name"

    def as_query(self) -> dict[str, str]:
        pairs = {
            "organisation": self.organisation,
            "department": self.department,
            "course": self.course,
            "status": self.status,
            "assignment": self.assignment,
            "q": self.q,
            "sort": self.sort if self.sort != "name" else "",
        }
        return {key: str(value) for key, value in pairs.items() if value}


def _int_or_none(raw: str | None) -> int | None:
    try:
        value = int(raw or "")
    except ValueError:
        return None
    return value if value > 0 else None


def hr_filters_parse(viewer: User, data: Mapping[str, str]) -> HRFilters:
    """Filters from a query string. Unknown values are ignored; ids of organisations,
    departments or assignments outside the viewer's scope raise OutOfScope (the view's 404)."""
    scope = hr_scope_organisation_ids(viewer)
    organisation = _int_or_none(data.get("organisation"))
    if organisation is not None and organisation not in scope:
        raise OutOfScope
    department = _int_or_none(data.get("department"))
    if department is not None and not scoped_departments(viewer).filter(pk=department).exists():
        raise OutOfScope
    assignment = _int_or_none(data.get("assignment"))
    if assignment is not None and not scoped_assignments(viewer).filter(pk=assignment).exists():
        raise OutOfScope
    status = data.get("status", "")
    sort = data.get("sort", "")
    return HRFilters(
        organisation=organisation,
        department=department,
        course=_int_or_none(data.get("course")),
        status=status if status in CourseStatus.ALL else "",
        assignment=assignment,
        q=data.get("q", "").strip()[:100],
        sort=sort if sort in SORTS else "name",
    )


def hr_rows_filtered(viewer: User, filters: HRFilters, *, today: date) -> QuerySet[Enrolment]:
    rows = scoped_rows(viewer, today=today)
    if filters.organisation:
        rows = rows.filter(user__organisation_id=filters.organisation)
    if filters.department:
        rows = rows.filter(user__department_id=filters.department)
    if filters.course:
        rows = rows.filter(course_id=filters.course)
    if filters.assignment:
        rows = rows.filter(
            Exists(
                AssignedLearner.objects.filter(
                    assignment_id=filters.assignment,
                    user=OuterRef("user_id"),
                    assignment__course=OuterRef("course_id"),
                )
            )
        )
    if filters.q:
        rows = rows.filter(
            Q(user__full_name__icontains=filters.q) | Q(user__email__icontains=filters.q)
        )
    if filters.status:
        rows = rows.filter(status=filters.status)
    return rows.order_by(*SORTS[filters.sort], "pk")


def hr_table_page(rows: QuerySet[Enrolment]) -> QuerySet[Enrolment]:
    return rows.select_related("user", "user__organisation", "user__department")


EXPORT_HEADER = [
    _("Name"),
    _("E-mail"),
    _("Organisation"),
    _("Department"),
    _("Job title"),
    _("Course"),
    _("Cycle"),
    _("Status"),
    _("Enrolled"),
    _("Last activity"),
    _("Due"),
    _("Completed"),
    _("Certificate expires"),
]


def _iso(value: date | datetime | None) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return timezone.localtime(value).date().isoformat()
    return value.isoformat()


def hr_export_rows(rows: QuerySet[Enrolment]) -> Iterator[list[str | int]]:
    """The filtered table as plain rows (dates ISO 8601), streamed from the database in chunks
    so memory stays flat whatever the number of rows."""
    labels = {key: str(label) for key, label in STATUS_LABELS.items()}
    values = rows.values_list(
        "user__full_name",
        "user__email",
        "user__organisation__name",
        "user__department__name",
        "user__job_title",
        "course_title",
        "cycle",
        "status",
        "enrolled_at",
        "last_activity_at",
        "due_on",
        "completed_at",
        "certificate_expires_on",
    )
    for row in values.iterator(chunk_size=2000):
        (name, email, org, dept, job, course, cycle, status, enrolled, last, due, done, exp) = row
        yield [
            name,
            email,
            org or "",
            dept or "",
            job,
            course,
            cycle,
            labels.get(status, status),
            _iso(enrolled),
            _iso(last),
            _iso(due),
            _iso(done),
            _iso(exp),
        ]


# --- Dashboard -------------------------------------------------------------------------------
@dataclass
class Bar:
    label: str
    value: int
    total: int = 0
    start: date | None = None  # first day of the month, for the per-month chart

    @property
    def percent(self) -> int:
        if not self.total:
            return 0
        return round(self.value * 100 / self.total)


@dataclass
class HRDashboard:
    learners: int
    active: int
    assigned: int
    assigned_done: int
    certified_people: int
    overdue: int
    expiring: dict[int, int]
    by_department: list[Bar] = field(default_factory=list)
    by_course: list[Bar] = field(default_factory=list)
    per_month: list[Bar] = field(default_factory=list)

    @property
    def completion_rate(self) -> int:
        return round(self.assigned_done * 100 / self.assigned) if self.assigned else 0

    @property
    def certified_share(self) -> int:
        return round(self.certified_people * 100 / self.learners) if self.learners else 0

    @property
    def month_max(self) -> int:
        return max((bar.value for bar in self.per_month), default=0)

    def month_columns(self, *, height: int = 160, width: int = 44, gap: int = 12) -> list[dict]:
        """Geometry of the server-rendered SVG column chart (no JavaScript, no library)."""
        top = self.month_max or 1
        columns = []
        for i, bar in enumerate(self.per_month):
            h = round(bar.value * height / top)
            columns.append(
                {
                    "x": 30 + i * (width + gap),
                    "y": 20 + height - h,
                    "h": h,
                    "w": width,
                    "cx": 30 + i * (width + gap) + width // 2,
                    "label": bar.label,
                    "start": bar.start,
                    "value": bar.value,
                }
            )
        return columns


ACTIVE_WITHIN_DAYS = 30


def _month_starts(today: date, months: int = 12) -> list[date]:
    first = today.replace(day=1)
    starts = []
    for _i in range(months):
        starts.append(first)
        first = (first - timedelta(days=1)).replace(day=1)
    return list(reversed(starts))


def hr_dashboard(viewer: User, *, today: date) -> HRDashboard:
    """Headline figures and chart data for the viewer's scope (seven queries after scope)."""
    scope = hr_scope_organisation_ids(viewer)
    now = timezone.now()
    live_cert = Q(revoked_at__isnull=True, superseded_at__isnull=True)
    # Three plain counts: correlated EXISTS per person let SQLite pick a poor index.
    # An erased person (privacy room) is inactive but still counted: their training happened,
    # and erasure must not change the figures.
    counted = Q(is_active=True) | Q(privacy_erasure__isnull=False)
    counted_user = Q(user__is_active=True) | Q(user__privacy_erasure__isnull=False)
    learners = User.objects.filter(counted, organisation_id__in=scope).count()
    active = (
        Enrolment.objects.filter(
            counted_user,
            user__organisation_id__in=scope,
            last_activity_at__gte=now - timedelta(days=ACTIVE_WITHIN_DAYS),
        )
        .values("user_id")
        .distinct()
        .count()
    )
    certified = (
        Certificate.objects.filter(live_cert, counted_user, user__organisation_id__in=scope)
        .filter(Q(expires_on__isnull=True) | Q(expires_on__gte=today))
        .values("user_id")
        .distinct()
        .count()
    )
    # Only the due date is needed here ("overdue" = open and past due, as in the status rule);
    # leaving out the certificate subqueries halves the cost of this, the largest query.
    assigned = Q(due_on__isnull=False)
    counts = (
        Enrolment.objects.filter(archived_at__isnull=True, user__organisation_id__in=scope)
        .annotate(due_on=_earliest_due())
        .aggregate(
            assigned=Count("pk", filter=assigned),
            assigned_done=Count("pk", filter=assigned & Q(completed_at__isnull=False)),
            overdue=Count("pk", filter=Q(completed_at__isnull=True, due_on__lt=today)),
        )
    )
    windows = (30, 60, 90)
    expiring = Certificate.objects.filter(
        live_cert,
        user__organisation_id__in=scope,
        expires_on__gte=today,
        expires_on__lte=today + timedelta(days=max(windows)),
    ).aggregate(
        **{
            f"d{days}": Count("pk", filter=Q(expires_on__lte=today + timedelta(days=days)))
            for days in windows
        }
    )
    current = Enrolment.objects.filter(archived_at__isnull=True, user__organisation_id__in=scope)
    done = Count("pk", filter=Q(completed_at__isnull=False))
    by_department = []
    for row in (
        current.values("user__organisation__name", "user__department__name")
        .annotate(total=Count("pk"), done=done)
        .order_by("user__organisation__name", "user__department__name")
    ):
        org, dept = row["user__organisation__name"], row["user__department__name"]
        label = f"{dept} ({org})" if dept else str(_("No department ({org})")).format(org=org)
        by_department.append(Bar(label=label, value=row["done"], total=row["total"]))
    by_course = [
        Bar(label=row["course_title"], value=row["done"], total=row["total"])
        for row in current.values("course_title")
        .annotate(total=Count("pk"), done=done)
        .order_by("course_title")
    ]
    starts = _month_starts(today)
    issued = {
        row["month"].date() if isinstance(row["month"], datetime) else row["month"]: row["n"]
        for row in Certificate.objects.filter(
            user__organisation_id__in=scope,
            issued_at__gte=timezone.make_aware(datetime.combine(starts[0], datetime.min.time())),
        )
        .annotate(month=TruncMonth("issued_at"))
        .values("month")
        .annotate(n=Count("pk"))
        .order_by("month")
    }
    per_month = [
        Bar(label=start.isoformat()[:7], value=issued.get(start, 0), start=start)
        for start in starts
    ]
    return HRDashboard(
        learners=learners,
        active=active,
        certified_people=certified,
        assigned=counts["assigned"],
        assigned_done=counts["assigned_done"],
        overdue=counts["overdue"],
        expiring={days: expiring[f"d{days}"] for days in windows},
        by_department=by_department,
        by_course=by_course,
        per_month=per_month,
    )


# --- One learner -------------------------------------------------------------------------------
@dataclass
class LearnerDetail:
    person: User
    current: list[Enrolment]
    transcript: list[Enrolment]
    assignments: list[AssignedLearner]
    certificates: list[Certificate]
    quiz_scores: list[QuizBestScore]


@dataclass(frozen=True)
class QuizBestScore:
    course_title: str
    quiz_title: str
    best_percent: Decimal | None  # None while no attempt has been closed
    passed: bool
    attempts_used: int


def learner_quiz_best_scores(person: User) -> list[QuizBestScore]:
    """Best score, pass and attempts used in each quiz of the person's current enrolments.

    One grouped query over QuizAttempt. Only aggregates leave the database: HR sees how someone
    did, never what they answered (snapshot, answers and results are never selected).
    """
    rows = (
        QuizAttempt.objects.filter(user=person, enrolment__archived_at__isnull=True)
        # Grouped by attempt's quiz title too would split a renamed quiz into two rows; the
        # latest title (Max is enough: titles rarely change) labels the quiz instead.
        .values("enrolment_id", "quiz_id")
        .annotate(
            course_title=Max("enrolment__course_title"),
            title=Max("quiz_title"),
            first_started=Min("started_at"),
            used=Count("pk"),
            best=Max("percent", filter=Q(status__in=CLOSED_ATTEMPTS)),
            passes=Count("pk", filter=Q(passed=True)),
        )
        .order_by("course_title", "first_started")
    )
    return [
        QuizBestScore(
            course_title=row["course_title"],
            quiz_title=row["title"],
            best_percent=row["best"],
            passed=row["passes"] > 0,
            attempts_used=row["used"],
        )
        for row in rows
    ]


def hr_learner_detail(viewer: User, person_id: int, *, today: date) -> LearnerDetail | None:
    """One person in scope, or None (the view's 404) when they are outside it."""
    person = (
        scoped_users(viewer)
        .select_related("organisation", "department")
        .filter(pk=person_id)
        .first()
    )
    if person is None:
        return None
    current = list(
        annotate_status(
            Enrolment.objects.filter(user=person, archived_at__isnull=True), today=today
        ).order_by("course_title")
    )
    transcript = list(
        Enrolment.objects.filter(user=person, completed_at__isnull=False).order_by("-completed_at")
    )
    assignments = list(
        AssignedLearner.objects.filter(user=person)
        .select_related("assignment", "assignment__department")
        .order_by("due_on")
    )
    certificates = list(Certificate.objects.filter(user=person).order_by("-issued_at"))
    return LearnerDetail(
        person=person,
        current=current,
        transcript=transcript,
        assignments=assignments,
        certificates=certificates,
        quiz_scores=learner_quiz_best_scores(person),
    )


@dataclass
class AssignmentSummary:
    assignment: Assignment
    learners: int
    done: int

    @property
    def percent(self) -> int:
        return round(self.done * 100 / self.learners) if self.learners else 0


def hr_assignments(viewer: User) -> list[AssignmentSummary]:
    completed = Enrolment.objects.filter(
        user=OuterRef("user_id"),
        course=OuterRef("assignment__course_id"),
        archived_at__isnull=True,
        completed_at__isnull=False,
    )
    counts = {
        row["assignment_id"]: (row["n"], row["done"])
        for row in AssignedLearner.objects.filter(
            assignment__organisation_id__in=hr_scope_organisation_ids(viewer)
        )
        .annotate(is_done=Exists(completed, output_field=BooleanField()))
        .values("assignment_id")
        .annotate(n=Count("pk"), done=Count("pk", filter=Q(is_done=True)))
        .order_by()
    }
    return [
        AssignmentSummary(assignment=a, learners=n, done=done)
        for a in scoped_assignments(viewer).select_related("organisation", "department")
        for n, done in [counts.get(a.pk, (0, 0))]
    ]


@dataclass
class FilterChoices:
    organisations: list[Organisation]
    departments: list[Department]
    courses: list[tuple[int, str]]
    assignments: list[Assignment]
    statuses: list[tuple[str, str]]


def hr_filter_choices(viewer: User) -> FilterChoices:
    return FilterChoices(
        organisations=list(scoped_organisations(viewer).order_by("name")),
        departments=list(scoped_departments(viewer).order_by("organisation__name", "name")),
        courses=courses_for_assignment(),
        assignments=list(
            scoped_assignments(viewer).select_related("department").order_by("-created_at")[:200]
        ),
        statuses=[(key, str(label)) for key, label in STATUS_LABELS.items()],
    )


def assigned_due_dates(user: User, course_ids: list[int]) -> dict[int, date]:
    """{course id: earliest due date} of the courses HR assigned to `user` (one query)."""
    if not course_ids:
        return {}
    return dict(
        AssignedLearner.objects.filter(user=user, assignment__course_id__in=course_ids)
        .values("assignment__course_id")
        .annotate(due=Min("due_on"))
        .values_list("assignment__course_id", "due")
    )


def attach_assignment_extras(user: User, entries: list) -> None:
    """My learning: the due date HR set for each course not yet completed (one query)."""
    course_ids = [e.enrolment.course_id for e in entries if e.enrolment.course_id]
    due_dates = assigned_due_dates(user, course_ids)
    today = timezone.localdate()
    for entry in entries:
        due_on = due_dates.get(entry.enrolment.course_id)
        if due_on is not None and not entry.enrolment.completed_at:
            entry.extras["due_on"] = due_on
            entry.extras["overdue"] = due_on < today
