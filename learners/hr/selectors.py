"""Reads for the HR area. Every function starts from the viewer's scope and costs a fixed
number of queries, whatever the number of learners (the status is computed in SQL so filters,
sorting and pagination stay in the database)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.core.paginator import Paginator
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.models import (
    BooleanField,
    Case,
    CharField,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    FilteredRelation,
    Max,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
    Window,
)
from django.db.models.functions import Cast, Round, RowNumber, TruncDate
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from courses.selectors.certificates import courses_for_assignment
from courses.selectors.outline import course_outlines
from learners.accounts.models import Department, Organisation, User
from learners.accounts.selectors import hr_scope_organisation_ids
from learners.attempts.models import AttemptStatus, QuizAttempt
from learners.certificates.codes import format_code
from learners.certificates.models import Certificate
from learners.common.ids import parse_id
from learners.hr.models import AssignedLearner, Assignment, ExportJob, HRTally
from learners.hr.rules import EXPIRING_WITHIN_DAYS, CourseStatus, learner_course_status
from learners.hr.tallies import day_figures
from learners.progress.models import Enrolment, LessonProgress
from learners.progress.rules import progress_percent
from learners.scorm.selectors import ScormLessonResult, learner_scorm_results

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


@contextmanager
def without_jit(using: str = DEFAULT_DB_ALIAS) -> Iterator[None]:
    """Run the block's queries with PostgreSQL's JIT compiler off (a no-op elsewhere).

    The HR aggregates and exports are large, one-off queries whose estimated cost crosses the
    JIT thresholds; compiling them took longer than running them (EXPLAIN ANALYZE at 10,000
    learners: 2.9 s of JIT in a 3.1 s export query; at 100,000, 180 ms of the dashboard's
    grouped pass). SET LOCAL keeps the change inside this transaction.
    """
    connection = connections[using]
    if connection.vendor != "postgresql":
        yield
        return
    with transaction.atomic(using=using):
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL jit = off")
        yield


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
    ).order_by("-issued_at")
    done = Q(completed_at__isnull=False)
    # Scalar subqueries, not EXISTS: PostgreSQL hashes an EXISTS in the select list by reading
    # every live certificate, while a page of 50 rows needs 50 probes of the enrolment index.
    return enrolments.annotate(
        due_on=_earliest_due(),
        live_certificate_id=Subquery(live_certificate.values("pk")[:1]),
        certificate_expires_on=Subquery(live_certificate.values("expires_on")[:1]),
    ).annotate(
        has_certificate=ExpressionWrapper(
            Q(live_certificate_id__isnull=False), output_field=BooleanField()
        ),
        status=Case(
            When(done & Q(live_certificate_id__isnull=True), then=Value(CourseStatus.COMPLETED)),
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
    # Keys of the query string whose values did not parse and were left out.
    invalid: tuple[str, ...] = ()

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


# The filters' names as a person reads them in a message (the query string uses the keys).
FILTER_LABELS = {
    "organisation": _("organisation"),
    "department": _("department"),
    "course": _("course"),
    "status": _("status"),
    "assignment": _("assignment"),
    "sort": _("sort order"),
}


def hr_filters_parse(viewer: User, data: Mapping[str, str]) -> HRFilters:
    """Filters from a query string. A value that does not parse (not an id, an unknown status
    or sort) is left out and named in `invalid`, so the page can say so and an export can
    refuse; ids of organisations, departments or assignments outside the viewer's scope raise
    OutOfScope (the view's 404)."""
    invalid: list[str] = []

    def id_of(key: str) -> int | None:
        raw = (data.get(key) or "").strip()
        if not raw:
            return None
        value = parse_id(raw)
        if value is None:
            invalid.append(key)
        return value

    def choice_of(key: str, allowed, default: str) -> str:
        raw = data.get(key) or ""
        if not raw:
            return default
        if raw not in allowed:
            invalid.append(key)
            return default
        return raw

    scope = hr_scope_organisation_ids(viewer)
    organisation = id_of("organisation")
    if organisation is not None and organisation not in scope:
        raise OutOfScope
    department = id_of("department")
    if department is not None and not scoped_departments(viewer).filter(pk=department).exists():
        raise OutOfScope
    assignment = id_of("assignment")
    if assignment is not None and not scoped_assignments(viewer).filter(pk=assignment).exists():
        raise OutOfScope
    course = id_of("course")
    status = choice_of("status", CourseStatus.ALL, "")
    sort = choice_of("sort", SORTS, "name")
    return HRFilters(
        organisation=organisation,
        department=department,
        course=course,
        status=status,
        assignment=assignment,
        q=(data.get("q") or "").strip()[:100],
        sort=sort,
        invalid=tuple(invalid),
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
    _("Progress (%)"),
    _("Best score (%)"),
    _("Enrolled"),
    _("Last activity"),
    _("Due"),
    _("Completed"),
    _("Certificate code"),
    _("Certificate expires"),
]


# Columns whose text comes from people (names, titles): the only ones that can hold a formula.
# Dates, cycles, numbers, codes and status labels are written by Capacitas and never start
# with = + - @.
EXPORT_TEXT_COLUMNS = (0, 1, 2, 3, 4, 5)
# What each column holds, for the typed XLSX (the CSV writes them all as text): "text",
# "int", "percent" (a whole number of per cent), "score" (per cent with one decimal, as text
# from the database) and "date" (ISO 8601 text from the database).
EXPORT_COLUMN_TYPES = (
    "text",
    "text",
    "text",
    "text",
    "text",
    "text",
    "int",
    "text",
    "percent",
    "score",
    "date",
    "date",
    "date",
    "date",
    "text",
    "date",
)
EXPORT_CHUNK = 5_000


def _as_text(expression) -> Cast:
    """A date as ISO text, made by the database (PostgreSQL and SQLite both print YYYY-MM-DD)."""
    return Cast(expression, output_field=CharField())


@dataclass(frozen=True)
class ExportContent:
    """What the export needs to know about the live courses (four queries at most, none when
    the outlines are cached): lessons live now per course, for the progress percentage as the
    learner sees it, and every lesson and required quiz id, for the two per-row counts."""

    lessons_per_course: dict[int, int]
    lesson_ids: list[int]
    required_quiz_ids: list[int]


def export_content() -> ExportContent:
    outlines = course_outlines(course_id for course_id, _title in courses_for_assignment())
    return ExportContent(
        lessons_per_course={course_id: o.lesson_count for course_id, o in outlines.items()},
        lesson_ids=[i for o in outlines.values() for i in o.lesson_ids],
        required_quiz_ids=[q.id for o in outlines.values() for q in o.required_quizzes],
    )


def _per_enrolment_sql(rows: QuerySet[Enrolment], content: ExportContent):
    """Two grouped reads, one row per enrolment of `rows`: live lessons completed, and the best
    closed attempt at a required quiz (the final assessment), rounded to one decimal and
    printed by the database ("89.5"). The export LEFT JOINs them as derived tables, which
    the planner hashes in one pass each, where a correlated subquery would probe two indexes
    for every row (measured: 3.4 s of an 8 s export of 100,000 rows)."""
    # A sliced table (the first N rows) keeps its order and limit inside the IN (...).
    ids = rows.values("pk") if rows.query.is_sliced else rows.order_by().values("pk")
    lessons = (
        LessonProgress.objects.filter(
            enrolment__in=ids,
            completed_at__isnull=False,
            lesson_id__in=content.lesson_ids or [0],
        )
        .order_by()
        .values("enrolment_id")
        .annotate(n=Count("pk"))
        .values_list("enrolment_id", "n")
    )
    best = (
        QuizAttempt.objects.filter(
            enrolment__in=ids,
            status__in=CLOSED_ATTEMPTS,
            quiz_id__in=content.required_quiz_ids or [0],
            percent__isnull=False,
        )
        .order_by()
        .values("enrolment_id")
        .annotate(best=Cast(Round(Max("percent"), 1), output_field=CharField()))
        .values_list("enrolment_id", "best")
    )
    return [qs.query.get_compiler(using=rows.db).as_sql() for qs in (lessons, best)]


def hr_export_rows(
    rows: QuerySet[Enrolment], *, today: date | None = None
) -> Iterator[list[str | int]]:
    """The filtered table as plain rows (dates ISO 8601, in the site's time zone; progress a
    whole number; the best score as text with one decimal), streamed from the database in
    chunks so memory stays flat whatever the number of rows.

    Shaped for 50,000 rows a second: the live certificate is one LEFT JOIN rather than the
    status CASE's repeated subqueries, dates and scores arrive as text, the lessons done and
    the best score are one index probe each, rows come from a raw (server-side on
    PostgreSQL) cursor without Django's per-value converters, and the status is the pure rule
    in Python (rules.learner_course_status, which tests hold equal to the SQL one).
    """
    today = today or timezone.localdate()
    labels = {key: str(label) for key, label in STATUS_LABELS.items()}
    content = export_content()
    lessons_per_course = content.lessons_per_course
    live = FilteredRelation(
        "certificates",
        condition=Q(
            certificates__revoked_at__isnull=True, certificates__superseded_at__isnull=True
        ),
    )
    values = rows.annotate(
        live_certificate=live,
        x_enrolled=_as_text(TruncDate("enrolled_at")),
        x_last=_as_text(TruncDate("last_activity_at")),
        x_done=_as_text(TruncDate("completed_at")),
        x_due=_as_text(_earliest_due()),
        x_cert=F("live_certificate__id"),
        x_code=F("live_certificate__code"),
        x_expires=_as_text(F("live_certificate__expires_on")),
        x_pk=F("pk"),
        # The table's order, numbered, so the joins below cannot lose it.
        x_ord=Window(RowNumber(), order_by=list(rows.query.order_by)),
    ).values_list(
        "user__full_name",
        "user__email",
        "user__organisation__name",
        "user__department__name",
        "user__job_title",
        "course_title",
        "cycle",
        "x_enrolled",
        "x_last",
        "x_due",
        "x_done",
        "x_expires",
        "x_cert",
        "course_id",
        "x_code",
        "x_pk",
        "x_ord",
    )
    inner, params = values.query.get_compiler(using=values.db).as_sql()
    (lessons_sql, lessons_params), (best_sql, best_params) = _per_enrolment_sql(rows, content)
    # t.* ends with x_pk and x_ord; lp and qa add the lessons done and the best score. Every
    # piece is SQL from Django's compiler, and every value a bound parameter.
    sql = (
        f"SELECT t.*, lp.n, qa.best FROM ({inner}) t "  # noqa: S608
        f"LEFT JOIN ({lessons_sql}) lp ON lp.enrolment_id = t.x_pk "
        f"LEFT JOIN ({best_sql}) qa ON qa.enrolment_id = t.x_pk "
        "ORDER BY t.x_ord"
    )
    params = (*params, *lessons_params, *best_params)
    connection = connections[values.db]
    with without_jit(values.db), connection.chunked_cursor() as cursor:
        if connection.vendor == "postgresql":
            # The two sorts (the table's order, then the numbered rows after the joins) spilled
            # to disk at the default 4 MB for 100,000 rows; SET LOCAL ends with the export.
            with connection.cursor() as settings_cursor:
                settings_cursor.execute("SET LOCAL work_mem = '64MB'")
        cursor.execute(sql, params)
        while batch := cursor.fetchmany(EXPORT_CHUNK):
            for row in batch:
                (
                    name,
                    email,
                    org,
                    dept,
                    job,
                    course,
                    cycle,
                    enrolled,
                    last,
                    due,
                    done,
                    exp,
                    cert,
                    course_id,
                    code,
                    _pk,
                    _ord,
                    lessons,
                    best,
                ) = row
                status = learner_course_status(
                    today=today,
                    due_on=date.fromisoformat(due) if due and not done else None,
                    started=last is not None,
                    completed_on=date.fromisoformat(done) if done else None,
                    has_certificate=cert is not None,
                    certificate_expires_on=date.fromisoformat(exp) if exp and done else None,
                )
                yield [
                    name,
                    email,
                    org or "",
                    dept or "",
                    job,
                    course,
                    cycle,
                    labels[status],
                    progress_percent(lessons or 0, lessons_per_course.get(course_id, 0)),
                    best or "",
                    enrolled or "",
                    last or "",
                    due or "",
                    done or "",
                    format_code(code) if code else "",
                    exp or "",
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
    # {(organisation id, department id, course id): current enrolments}, from the charts' pass
    groups: dict[tuple[int, int | None, int | None], int] = field(default_factory=dict)

    def rows_matching(self, filters: HRFilters) -> int | None:
        """How many table rows `filters` select, when the grouped counts can tell (filters on
        organisation, department and course only); None when the table must count itself."""
        if filters.status or filters.assignment or filters.q:
            return None
        return sum(
            n
            for (org, dept, course), n in self.groups.items()
            if (not filters.organisation or org == filters.organisation)
            and (not filters.department or dept == filters.department)
            and (not filters.course or course == filters.course)
        )

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
    """Headline figures and chart data for the viewer's scope (four queries after scope, plus
    two name lookups, and on PostgreSQL one SET that turns JIT off for them)."""
    with without_jit():
        return _dashboard(viewer, today=today)


def _dashboard(viewer: User, *, today: date) -> HRDashboard:
    """The dashboard's reads.

    Shaped for a million enrolments: what does not depend on the date (assigned and completed
    courses, both charts, the table's row count) comes from the kept tallies, by integer keys
    named afterwards; what does (people certified today, expiring within N days, issued per
    month) is a sum over day tallies. Only "active in the last 30 days" and "overdue" still
    read the records: the few recent enrolments through their last-activity index, and the
    overdue assignments through their due-date index.
    """
    scope = hr_scope_organisation_ids(viewer)
    now = timezone.now()
    # People, certified people, expiring certificates and certificates issued per month are
    # sums over the day tallies (learners.hr.tallies) in one query. An erased person (privacy
    # room) is inactive but still counted: their training happened, and erasure must not
    # change the figures.
    windows = (30, 60, 90)
    starts = _month_starts(today)
    days = day_figures(scope, today=today, expiry_windows=windows, months=starts)
    learners = days["people"]
    certified = days["certified"]
    # From the few recent enrolments (last-activity index) to their people (primary key), so
    # the cost follows last month's activity, not the size of the organisation.
    active = (
        Enrolment.objects.filter(
            Q(user__is_active=True) | Q(user__privacy_erasure__isnull=False),
            last_activity_at__gte=now - timedelta(days=ACTIVE_WITHIN_DAYS),
            user__organisation_id__in=scope,
        )
        .values("user_id")
        .distinct()
        .count()
    )
    current = Enrolment.objects.filter(archived_at__isnull=True, user__organisation_id__in=scope)
    # "Assigned" = a current enrolment in a course HR assigned to its learner; "overdue" = such
    # an enrolment still open whose earliest due date has passed (the status rule's OVERDUE).
    # Assigned and completed counts, and both charts, are the kept tallies (learners.hr.tallies):
    # a few hundred rows whatever the number of enrolments. Overdue depends on today, so it is
    # counted from the assignments, the smaller side.
    tallies = list(
        HRTally.objects.filter(organisation_key__in=scope, enrolments__gt=0).values_list(
            "organisation_key",
            "department_key",
            "course_key",
            "course_title",
            "enrolments",
            "completed",
            "assigned",
            "assigned_completed",
        )
    )
    counts = {
        "assigned": sum(t[6] for t in tallies),
        "assigned_done": sum(t[7] for t in tallies),
    }
    assigned_to_them = AssignedLearner.objects.filter(
        user=OuterRef("user_id"), assignment__course=OuterRef("course_id")
    )
    overdue = (
        current.filter(completed_at__isnull=True)
        .filter(Exists(assigned_to_them.filter(due_on__lt=today)))
        .count()
    )
    by_department, by_course, groups = _completion_charts(tallies, scope)
    per_month = [
        Bar(label=start.isoformat()[:7], value=days[f"m{i}"], start=start)
        for i, start in enumerate(starts)
    ]
    return HRDashboard(
        learners=learners,
        active=active,
        certified_people=certified,
        assigned=counts["assigned"],
        assigned_done=counts["assigned_done"],
        overdue=overdue,
        expiring={window: days[f"d{window}"] for window in windows},
        by_department=by_department,
        by_course=by_course,
        per_month=per_month,
        groups=groups,
    )


def _completion_charts(
    tallies: list[tuple], scope: list[int] | set[int] | frozenset[int]
) -> tuple[list[Bar], list[Bar], dict[tuple[int, int | None, int | None], int]]:
    """Completion per department and per course from the tallies (two small lookups name the
    groups). The groups also give the table's row count, so the page does not count the
    enrolments at all."""
    per_dept: dict[tuple[int, int | None], list[int]] = {}
    per_course: dict[str, list[int]] = {}
    groups: dict[tuple[int, int | None, int | None], int] = {}
    for org, dept_key, course_key, title, total, done, _assigned, _assigned_done in tallies:
        dept, course = dept_key or None, course_key or None
        key = (org, dept, course)
        groups[key] = groups.get(key, 0) + total
        for bucket in (
            per_dept.setdefault((org, dept), [0, 0]),
            per_course.setdefault(title, [0, 0]),
        ):
            bucket[0] += total
            bucket[1] += done
    organisations = dict(Organisation.objects.filter(pk__in=scope).values_list("pk", "name"))
    departments = dict(
        Department.objects.filter(organisation_id__in=scope).values_list("pk", "name")
    )
    labelled = []
    for (org_id, dept_id), (total, done) in per_dept.items():
        org = organisations.get(org_id, "")
        dept = departments.get(dept_id) if dept_id else None
        label = f"{dept} ({org})" if dept else str(_("No department ({org})")).format(org=org)
        labelled.append(((org, dept or ""), Bar(label=label, value=done, total=total)))
    by_department = [bar for _key, bar in sorted(labelled, key=lambda item: item[0])]
    by_course = [
        Bar(label=title, value=done, total=total)
        for title, (total, done) in sorted(per_course.items())
    ]
    return by_department, by_course, groups


class CountedPaginator(Paginator):
    """A paginator told its count in advance (when the dashboard already knows it)."""

    def __init__(self, object_list, per_page, *, count: int | None = None, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        if count is not None:
            self.__dict__["count"] = count  # fills the cached_property, so no COUNT query


# --- One learner -------------------------------------------------------------------------------
@dataclass
class LearnerDetail:
    person: User
    current: list[Enrolment]
    transcript: list[Enrolment]
    assignments: list[AssignedLearner]
    certificates: list[Certificate]
    quiz_scores: list[QuizBestScore]
    scorm_lessons: list[ScormLessonResult] = field(default_factory=list)


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
        scorm_lessons=learner_scorm_results(person),
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


RECENT_EXPORTS = 20


def hr_export_jobs(viewer: User) -> list[ExportJob]:
    """The viewer's own recent exports, newest first (nobody sees another officer's)."""
    return list(ExportJob.objects.filter(requester=viewer).order_by("-created_at")[:RECENT_EXPORTS])
