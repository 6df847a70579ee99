"""The compliance matrix: people in the officer's scope × the courses assigned to them.

Every read starts from the viewer's scope and costs a fixed number of queries: the page of
people (count and rows), the columns (the courses assigned in the filtered set), and, for the
page, the assigned pairs with their earliest due date and the current enrolments with their
HR status (computed in SQL by selectors.annotate_status). An export walks the same reads a
block of people at a time, so memory stays flat.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date

from django.core.paginator import Page, Paginator
from django.db.models import Exists, Max, Min, OuterRef, Q, QuerySet
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from learners.accounts.models import User
from learners.accounts.selectors import hr_scope_organisation_ids
from learners.common.spreadsheets import neutralise_cell
from learners.hr.models import AssignedLearner
from learners.hr.rules import CourseStatus
from learners.hr.selectors import (
    STATUS_BADGES,
    STATUS_LABELS,
    HRFilters,
    OutOfScope,
    annotate_status,
    hr_filters_parse,
)
from learners.progress.models import Enrolment

MATRIX_PAGE_SIZE = 25
# People read per block when the whole matrix is exported (two queries a block).
EXPORT_BLOCK = 500

NOT_ASSIGNED = "not_assigned"
NOT_ASSIGNED_LABEL = _("Not assigned")
MATRIX_CELL_CLASSES = {
    CourseStatus.CERTIFIED: "cell-ok",
    CourseStatus.COMPLETED: "cell-ok",
    CourseStatus.EXPIRING: "cell-warn",
    CourseStatus.EXPIRED: "cell-danger",
    CourseStatus.OVERDUE: "cell-danger",
    CourseStatus.IN_PROGRESS: "cell-progress",
    CourseStatus.NOT_STARTED: "cell-none",
    NOT_ASSIGNED: "cell-na",
}


@dataclass(frozen=True)
class MatrixFilters:
    """What the matrix filters on: organisation, department, course, status, name or e-mail."""

    organisation: int | None = None
    department: int | None = None
    course: int | None = None
    status: str = ""
    q: str = ""
    invalid: tuple[str, ...] = ()

    @classmethod
    def from_hr(cls, filters: HRFilters) -> MatrixFilters:
        return cls(
            organisation=filters.organisation,
            department=filters.department,
            course=filters.course,
            status=filters.status,
            q=filters.q,
            invalid=tuple(key for key in filters.invalid if key != "sort"),
        )

    def as_query(self) -> dict[str, str]:
        pairs = {
            "organisation": self.organisation,
            "department": self.department,
            "course": self.course,
            "status": self.status,
            "q": self.q,
        }
        return {key: str(value) for key, value in pairs.items() if value}


def matrix_filters_parse(viewer: User, data: Mapping[str, str]) -> MatrixFilters:
    """The HR table's parser (ids in scope or OutOfScope, unknown values named in `invalid`),
    keeping the filters the matrix has."""
    wanted = {k: data.get(k, "") for k in ("organisation", "department", "course", "status", "q")}
    return MatrixFilters.from_hr(hr_filters_parse(viewer, wanted))


@dataclass(frozen=True)
class MatrixCell:
    status: str  # a CourseStatus value, or NOT_ASSIGNED
    label: str
    css: str
    badge: str
    due_on: date | None = None
    completed_on: date | None = None
    expires_on: date | None = None

    @property
    def assigned(self) -> bool:
        return self.status != NOT_ASSIGNED

    @property
    def is_open(self) -> bool:
        return self.status in (
            CourseStatus.NOT_STARTED,
            CourseStatus.IN_PROGRESS,
            CourseStatus.OVERDUE,
        )


@dataclass(frozen=True)
class MatrixRow:
    person: User
    cells: list[MatrixCell]


@dataclass
class ComplianceMatrix:
    courses: list[tuple[int, str]]  # the columns: (course id, title)
    page: Page
    rows: list[MatrixRow]


def _people(viewer: User, filters: MatrixFilters, *, today: date) -> QuerySet[User]:
    """People in scope with at least one assigned course (of the filtered course), matching
    the filters; a status filter keeps those with an assigned course in that status."""
    scope = hr_scope_organisation_ids(viewer)
    assigned = AssignedLearner.objects.filter(user=OuterRef("pk"), assignment__course__isnull=False)
    if filters.course:
        assigned = assigned.filter(assignment__course_id=filters.course)
    people = User.objects.filter(organisation_id__in=scope).filter(Exists(assigned))
    if filters.organisation:
        people = people.filter(organisation_id=filters.organisation)
    if filters.department:
        people = people.filter(department_id=filters.department)
    if filters.q:
        people = people.filter(Q(full_name__icontains=filters.q) | Q(email__icontains=filters.q))
    if filters.status:
        cells = (
            annotate_status(
                Enrolment.objects.filter(archived_at__isnull=True, user_id=OuterRef("pk")),
                today=today,
            )
            .filter(status=filters.status)
            .filter(
                Exists(
                    AssignedLearner.objects.filter(
                        user=OuterRef("user_id"), assignment__course=OuterRef("course_id")
                    )
                )
            )
        )
        if filters.course:
            cells = cells.filter(course_id=filters.course)
        people = people.filter(Exists(cells))
    return people.order_by("full_name", "email", "pk")


def _columns(people: QuerySet[User], filters: MatrixFilters) -> list[tuple[int, str]]:
    """The courses assigned to the people the filters select (one grouped query)."""
    assigned = AssignedLearner.objects.filter(
        user__in=people.order_by().values("pk"), assignment__course__isnull=False
    )
    if filters.course:
        assigned = assigned.filter(assignment__course_id=filters.course)
    return [
        (row["assignment__course_id"], row["title"])
        for row in assigned.values("assignment__course_id")
        .annotate(title=Max("assignment__course_title"))
        .order_by("title", "assignment__course_id")
    ]


def _cells(people: list[User], courses: list[tuple[int, str]], *, today: date) -> list[MatrixRow]:
    """The cells of these people (two queries, whatever their number)."""
    if not people or not courses:
        return [MatrixRow(person=p, cells=[]) for p in people]
    user_ids = [p.pk for p in people]
    course_ids = [course_id for course_id, _title in courses]
    due = {
        (row["user_id"], row["assignment__course_id"]): row["due"]
        for row in AssignedLearner.objects.filter(
            user_id__in=user_ids, assignment__course_id__in=course_ids
        )
        .values("user_id", "assignment__course_id")
        .annotate(due=Min("due_on"))
        .order_by()
    }
    current = {
        (row["user_id"], row["course_id"]): row
        for row in annotate_status(
            Enrolment.objects.filter(
                user_id__in=user_ids, course_id__in=course_ids, archived_at__isnull=True
            ),
            today=today,
        ).values("user_id", "course_id", "status", "completed_at", "certificate_expires_on")
    }
    labels = {key: str(label) for key, label in STATUS_LABELS.items()}
    not_assigned = MatrixCell(
        status=NOT_ASSIGNED,
        label=str(NOT_ASSIGNED_LABEL),
        css=MATRIX_CELL_CLASSES[NOT_ASSIGNED],
        badge="",
    )
    rows = []
    for person in people:
        cells = []
        for course_id, _title in courses:
            key = (person.pk, course_id)
            if key not in due:
                cells.append(not_assigned)
                continue
            enrolment = current.get(key)
            if enrolment is None:
                # Assigned, but no current cycle (the enrolment was archived by hand).
                status = CourseStatus.OVERDUE if due[key] < today else CourseStatus.NOT_STARTED
                completed, expires = None, None
            else:
                status = enrolment["status"]
                completed = enrolment["completed_at"]
                expires = enrolment["certificate_expires_on"]
            cells.append(
                MatrixCell(
                    status=status,
                    label=labels[status],
                    css=MATRIX_CELL_CLASSES[status],
                    badge=STATUS_BADGES.get(status, ""),
                    due_on=due[key],
                    completed_on=completed.date() if completed else None,
                    expires_on=expires,
                )
            )
        rows.append(MatrixRow(person=person, cells=cells))
    return rows


def hr_compliance_matrix(
    viewer: User, filters: MatrixFilters, *, today: date, page: str | int | None = None
) -> ComplianceMatrix:
    """One page of the matrix: count, people, columns, assigned pairs, enrolments (five
    queries after the scope)."""
    people = _people(viewer, filters, today=today)
    page_obj = Paginator(
        people.select_related("organisation", "department"), MATRIX_PAGE_SIZE
    ).get_page(page)
    courses = _columns(people, filters)
    return ComplianceMatrix(
        courses=courses,
        page=page_obj,
        rows=_cells(list(page_obj.object_list), courses, today=today),
    )


def matrix_people_count(viewer: User, filters: MatrixFilters, *, today: date) -> int:
    return _people(viewer, filters, today=today).count()


# --- Export -------------------------------------------------------------------------------------
def matrix_header(courses: list[tuple[int, str]]) -> list[str]:
    header = [gettext("Name"), gettext("E-mail"), gettext("Organisation"), gettext("Department")]
    for _course_id, title in courses:
        header += [
            gettext("%(course)s: status") % {"course": title},
            gettext("%(course)s: due") % {"course": title},
            gettext("%(course)s: certificate expires") % {"course": title},
        ]
    return header


def matrix_column_types(courses: list[tuple[int, str]]) -> list[str]:
    return ["text"] * 4 + ["text", "date", "date"] * len(courses)


def matrix_export_rows(
    viewer: User, filters: MatrixFilters, *, today: date
) -> tuple[list[tuple[int, str]], Iterator[list]]:
    """The columns, and every person's row as plain values (dates ISO 8601 text, as in the HR
    table's export; the XLSX writer types them), formula cells neutralised; read a block of
    people at a time (two queries a block)."""
    people = _people(viewer, filters, today=today).select_related("organisation", "department")
    courses = _columns(people, filters)

    def rows() -> Iterator[list]:
        last = None
        while True:
            block_qs = people
            if last is not None:
                block_qs = block_qs.filter(
                    Q(full_name__gt=last.full_name)
                    | Q(full_name=last.full_name, email__gt=last.email)
                    | Q(full_name=last.full_name, email=last.email, pk__gt=last.pk)
                )
            block = list(block_qs[:EXPORT_BLOCK])
            if not block:
                return
            for row in _cells(block, courses, today=today):
                person = row.person
                values = [
                    neutralise_cell(person.full_name),
                    neutralise_cell(person.email),
                    neutralise_cell(person.organisation.name if person.organisation else ""),
                    neutralise_cell(person.department.name if person.department else ""),
                ]
                for cell in row.cells:
                    values += [
                        cell.label,
                        cell.due_on.isoformat() if cell.due_on else "",
                        cell.expires_on.isoformat() if cell.expires_on else "",
                    ]
                yield values
            last = block[-1]

    return courses, rows()


def matrix_csv_chunks(
    viewer: User, filters: MatrixFilters, *, today: date, progress=None
) -> Iterator[str]:
    """The matrix as CSV: a byte-order mark, the header, then a chunk per block of people;
    `progress(rows written)` after each block and at the end."""
    courses, rows = matrix_export_rows(viewer, filters, today=today)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    yield "\ufeff"
    writer.writerow([neutralise_cell(h) for h in matrix_header(courses)])
    written = 0
    for row in rows:
        writer.writerow(row)
        written += 1
        if written % EXPORT_BLOCK == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
            if progress is not None:
                progress(written)
    yield buffer.getvalue()
    if progress is not None:
        progress(written)


__all__ = [
    "MATRIX_PAGE_SIZE",
    "NOT_ASSIGNED",
    "ComplianceMatrix",
    "MatrixCell",
    "MatrixFilters",
    "OutOfScope",
    "hr_compliance_matrix",
    "matrix_csv_chunks",
    "matrix_filters_parse",
]
