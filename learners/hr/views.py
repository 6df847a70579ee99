"""HR views: thin. Authenticate, check the HR role (403), scope first (404), then read or write."""

from __future__ import annotations

import csv
import tempfile
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from openpyxl import Workbook

from learners.accounts.selectors import is_hr_officer
from learners.common.spreadsheets import neutralise_cell
from learners.hr.forms import AssignmentForm, DepartmentMoveForm
from learners.hr.models import AssignmentTarget
from learners.hr.selectors import (
    EXPORT_HEADER,
    PAGE_SIZE,
    SORTS,
    STATUS_BADGES,
    STATUS_LABELS,
    OutOfScope,
    hr_assignments,
    hr_dashboard,
    hr_export_rows,
    hr_filter_choices,
    hr_filters_parse,
    hr_learner_detail,
    hr_rows_filtered,
    hr_table_page,
    scoped_users,
)
from learners.hr.services import AssignmentInvalid, assignment_create, learner_department_set
from learners.workbooks.selectors import workbook_status_lines


def hr_required(view):
    """Signed in (else the login page) and an HR officer or administrator (else 403)."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not is_hr_officer(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def _filters(request):
    try:
        return hr_filters_parse(request.user, request.GET)
    except OutOfScope:
        raise Http404 from None


@hr_required
@require_GET
def dashboard(request):
    today = timezone.localdate()
    filters = _filters(request)
    rows = hr_rows_filtered(request.user, filters, today=today)
    page = Paginator(hr_table_page(rows), PAGE_SIZE).get_page(request.GET.get("page"))
    query = filters.as_query()
    return render(
        request,
        "learners/hr/dashboard.html",
        {
            "figures": hr_dashboard(request.user, today=today),
            "page_obj": page,
            "filters": filters,
            "choices": hr_filter_choices(request.user),
            "query": query,
            "query_string": "&".join(f"{k}={v}" for k, v in query.items()),
            "sorts": list(SORTS),
            "status_labels": STATUS_LABELS,
            "status_badges": STATUS_BADGES,
        },
    )


class _Echo:
    """csv.writer needs something with write(); this hands each line straight back."""

    def write(self, value: str) -> str:
        return value


def _cells(row):
    return [neutralise_cell(cell) for cell in row]


def csv_stream(rows):
    writer = csv.writer(_Echo())
    yield "\ufeff"  # lets spreadsheet programs read UTF-8 names correctly
    yield writer.writerow([str(h) for h in EXPORT_HEADER])
    for row in hr_export_rows(rows):
        yield writer.writerow(_cells(row))


def _export_name(extension: str) -> str:
    return f"capacitas-hr-{timezone.localdate().isoformat()}.{extension}"


@hr_required
@require_GET
def export_csv(request):
    rows = hr_rows_filtered(request.user, _filters(request), today=timezone.localdate())
    response = StreamingHttpResponse(csv_stream(rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_export_name("csv")}"'
    return response


def xlsx_file(rows):
    """Write-only workbook (rows go straight to a temporary file, not kept in memory)."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title="Learners")
    sheet.append([str(h) for h in EXPORT_HEADER])
    for row in hr_export_rows(rows):
        sheet.append(_cells(row))
    handle = tempfile.TemporaryFile()  # noqa: SIM115  (FileResponse closes it, which deletes it)
    workbook.save(handle)
    handle.seek(0)
    return handle


@hr_required
@require_GET
def export_xlsx(request):
    rows = hr_rows_filtered(request.user, _filters(request), today=timezone.localdate())
    return FileResponse(
        xlsx_file(rows),
        as_attachment=True,
        filename=_export_name("xlsx"),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


@hr_required
@require_GET
def learner_detail(request, user_id: int):
    detail = hr_learner_detail(request.user, user_id, today=timezone.localdate())
    if detail is None:
        raise Http404
    return render(
        request,
        "learners/hr/learner_detail.html",
        {
            "detail": detail,
            "person": detail.person,
            "move_form": DepartmentMoveForm(person=detail.person),
            "status_labels": STATUS_LABELS,
            "status_badges": STATUS_BADGES,
            # The status of capstone workbooks, never their content (which is the learner's).
            "workbooks": workbook_status_lines(detail.person),
        },
    )


@hr_required
@require_POST
def learner_department(request, user_id: int):
    person = scoped_users(request.user).filter(pk=user_id).first()
    if person is None:
        raise Http404
    form = DepartmentMoveForm(request.POST, person=person)
    if form.is_valid():
        try:
            learner_department_set(
                changed_by=request.user, person=person, department=form.cleaned_data["department"]
            )
        except AssignmentInvalid as problem:
            messages.error(request, str(problem))
        else:
            messages.success(request, _("The department has been changed."))
    else:
        messages.error(request, _("Choose a department of the person's organisation."))
    return redirect("hr_learner", user_id=person.pk)


@hr_required
@require_GET
def assignments(request):
    return render(
        request, "learners/hr/assignments.html", {"summaries": hr_assignments(request.user)}
    )


@hr_required
@require_http_methods(["GET", "POST"])
def assignment_new(request):
    form = AssignmentForm(request.POST or None, viewer=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            assignment = assignment_create(
                created_by=request.user,
                course=form.course_page,
                organisation=data["organisation"],
                target=data["target"],
                department=data.get("department")
                if data["target"] == AssignmentTarget.DEPARTMENT
                else None,
                learners=form.people,
                due_on=data["due_on"],
                recurrence_months=data.get("recurrence_months"),
            )
        except AssignmentInvalid as problem:
            form.add_error(None, str(problem))
        else:
            messages.success(
                request,
                _("“%(course)s” is assigned, due %(due)s. The learners have been e-mailed.")
                % {
                    "course": assignment.course_title,
                    "due": date_format(assignment.due_on, "DATE_FORMAT"),
                },
            )
            return redirect(reverse("hr_assignments"))
    return render(request, "learners/hr/assignment_form.html", {"form": form})
