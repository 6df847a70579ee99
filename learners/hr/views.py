"""HR views: thin. Authenticate, check the HR role (403), scope first (404), then read or write."""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from learners.accounts.decorators import hr_officer_required
from learners.accounts.selectors import is_hr_officer
from learners.hr.exports import (
    CONTENT_TYPES,
    DIRECT_EXPORT_MAX_ROWS,
    DOWNLOAD_LINK_MAX_AGE,
    EXPORT_RETENTION,
    csv_chunks,
    download_token,
    job_id_from_token,
)
from learners.hr.forms import AssignmentForm, DepartmentMoveForm
from learners.hr.matrix import (
    MATRIX_PAGE_SIZE,
    hr_compliance_matrix,
    matrix_csv_chunks,
    matrix_filters_parse,
    matrix_people_count,
)
from learners.hr.models import (
    AssignmentTarget,
    ExportFormat,
    ExportJob,
    ExportReport,
    ExportStatus,
)
from learners.hr.selectors import (
    FILTER_LABELS,
    PAGE_SIZE,
    SORTS,
    STATUS_BADGES,
    STATUS_LABELS,
    CountedPaginator,
    OutOfScope,
    hr_assignments,
    hr_dashboard,
    hr_export_jobs,
    hr_filter_choices,
    hr_filters_parse,
    hr_learner_detail,
    hr_rows_filtered,
    hr_table_page,
    scoped_users,
)
from learners.hr.services import (
    AssignmentInvalid,
    ExportInvalid,
    assignment_create,
    export_job_start,
    learner_department_set,
)
from learners.workbooks.selectors import workbook_status_lines

hr_required = hr_officer_required


def _filters(request):
    try:
        return hr_filters_parse(request.user, request.GET)
    except OutOfScope:
        raise Http404 from None


def _invalid_filters_message(filters) -> str:
    names = ", ".join(str(FILTER_LABELS[key]) for key in filters.invalid)
    return ngettext(
        "This filter was not understood and has been left out: %(names)s.",
        "These filters were not understood and have been left out: %(names)s.",
        len(filters.invalid),
    ) % {"names": names}


def _export_refused(request, filters) -> HttpResponse | None:
    """An export must contain what its filters say: a filter that did not parse is a 400
    with the reason, never a file with fewer (or more) rows than the person asked for."""
    if not filters.invalid:
        return None
    names = ", ".join(str(FILTER_LABELS[key]) for key in filters.invalid)
    reason = ngettext(
        "No export was made: this filter was not understood: %(names)s. "
        "Go back to the HR dashboard, choose the filters again and download the file.",
        "No export was made: these filters were not understood: %(names)s. "
        "Go back to the HR dashboard, choose the filters again and download the file.",
        len(filters.invalid),
    ) % {"names": names}
    return render(request, "400.html", {"reason": reason}, status=400)


@hr_required
@require_GET
def dashboard(request):
    today = timezone.localdate()
    filters = _filters(request)
    if filters.invalid:
        messages.warning(request, _invalid_filters_message(filters))
    rows = hr_rows_filtered(request.user, filters, today=today)
    figures = hr_dashboard(request.user, today=today)
    page = CountedPaginator(
        hr_table_page(rows), PAGE_SIZE, count=figures.rows_matching(filters)
    ).get_page(request.GET.get("page"))
    query = filters.as_query()
    return render(
        request,
        "learners/hr/dashboard.html",
        {
            "figures": figures,
            "direct_export_max_rows": DIRECT_EXPORT_MAX_ROWS,
            "page_obj": page,
            "filters": filters,
            "choices": hr_filter_choices(request.user),
            # Not "query": base.html's site search box shows a variable of that name.
            "filter_query": query,
            "query_string": urlencode(query),
            "sorts": list(SORTS),
            "status_labels": STATUS_LABELS,
            "status_badges": STATUS_BADGES,
        },
    )


def _stream_csv(rows) -> StreamingHttpResponse:
    response = StreamingHttpResponse(csv_chunks(rows), content_type=CONTENT_TYPES["csv"])
    response["Content-Disposition"] = f'attachment; filename="{_export_name("csv")}"'
    return response


def _export_name(extension: str, kind: str = "") -> str:
    return f"capacitas-hr{kind}-{timezone.localdate().isoformat()}.{extension}"


def _stream_matrix_csv(viewer, filters) -> StreamingHttpResponse:
    response = StreamingHttpResponse(
        matrix_csv_chunks(viewer, filters, today=timezone.localdate()),
        content_type=CONTENT_TYPES["csv"],
    )
    response["Content-Disposition"] = f'attachment; filename="{_export_name("csv", "-matrix")}"'
    return response


def _exports_page(filters, export_format: str, report: str = "") -> str:
    extra = {"report": report} if report else {}
    query = urlencode({**filters.as_query(), "format": export_format, **extra})
    return f"{reverse('hr_exports')}?{query}#prepare-heading"


@hr_required
@require_GET
def export_csv(request):
    """A CSV of at most DIRECT_EXPORT_MAX_ROWS rows streams now; a larger one is offered as a
    background export (a GET never queues work: the exports page asks for a POST)."""
    filters = _filters(request)
    if refused := _export_refused(request, filters):
        return refused
    rows = hr_rows_filtered(request.user, filters, today=timezone.localdate())
    if rows.count() > DIRECT_EXPORT_MAX_ROWS:
        return redirect(_exports_page(filters, ExportFormat.CSV))
    return _stream_csv(rows)


@hr_required
@require_GET
def export_xlsx(request):
    """Workbooks are always built in the background (openpyxl is slow to write)."""
    filters = _filters(request)
    if refused := _export_refused(request, filters):
        return refused
    return redirect(_exports_page(filters, ExportFormat.XLSX))


def _job_view(job, *, now) -> dict:
    downloadable = job.status == ExportStatus.DONE and job.expires_at and job.expires_at > now
    return {
        "id": job.pk,
        "status": job.status,
        "status_label": str(job.get_status_display()),
        "format_label": str(job.get_format_display()),
        "report_label": str(job.get_report_display()),
        "progress": job.progress,
        "row_count": job.row_count,
        "total_rows": job.total_rows,
        "created_at": job.created_at,
        "expires_at": job.expires_at,
        "error": job.error,
        "pending": job.is_pending,
        "download_url": reverse("hr_export_download", args=[download_token(job.pk)])
        if downloadable
        else "",
    }


@hr_required
@require_http_methods(["GET", "POST"])
def exports(request):
    """The officer's exports: a form to prepare one (from the dashboard's filters), progress,
    and download links; POST queues an export (or streams a small CSV at once)."""
    report = request.POST.get("report") or request.GET.get("report") or ExportReport.TABLE
    if report not in ExportReport.values:
        return render(
            request,
            "400.html",
            {"reason": _("No export was made: choose the learners table or the matrix.")},
            status=400,
        )
    matrix = report == ExportReport.MATRIX
    today = timezone.localdate()
    if request.method == "POST":
        try:
            if matrix:
                filters = matrix_filters_parse(request.user, request.POST)
            else:
                filters = hr_filters_parse(request.user, request.POST)
        except OutOfScope:
            raise Http404 from None
        export_format = request.POST.get("format", "")
        if export_format == ExportFormat.CSV:
            if matrix:
                if matrix_people_count(request.user, filters, today=today) <= (
                    DIRECT_EXPORT_MAX_ROWS
                ):
                    return _stream_matrix_csv(request.user, filters)
            else:
                rows = hr_rows_filtered(request.user, filters, today=today)
                if rows.count() <= DIRECT_EXPORT_MAX_ROWS:
                    return _stream_csv(rows)
        try:
            job = export_job_start(
                requester=request.user, filters=filters, format=export_format, report=report
            )
        except ExportInvalid as problem:
            messages.error(request, str(problem))
            return redirect("hr_exports")
        messages.success(
            request,
            _("Your export is being prepared. It appears below with a download link when ready."),
        )
        return redirect(f"{reverse('hr_exports')}#export-{job.pk}")
    if matrix:
        try:
            filters = matrix_filters_parse(request.user, request.GET)
        except OutOfScope:
            raise Http404 from None
    else:
        filters = _filters(request)
    export_format = request.GET.get("format", "")
    prepare = None
    if export_format in ExportFormat.values:
        if matrix:
            count = matrix_people_count(request.user, filters, today=today)
        else:
            count = hr_rows_filtered(request.user, filters, today=today).count()
        prepare = {
            "format": export_format,
            "format_label": ExportFormat(export_format).label,
            "report": report,
            "report_label": ExportReport(report).label,
            "back_url": reverse("hr_matrix") if matrix else reverse("hr_dashboard"),
            "rows": count,
            "fields": filters.as_query(),
        }
    now = timezone.now()
    jobs = [_job_view(job, now=now) for job in hr_export_jobs(request.user)]
    return render(
        request,
        "learners/hr/exports.html",
        {
            "prepare": prepare,
            "jobs": jobs,
            "any_pending": any(job["pending"] for job in jobs),
            "retention_hours": int(EXPORT_RETENTION.total_seconds() // 3600),
            "link_minutes": int(DOWNLOAD_LINK_MAX_AGE.total_seconds() // 60),
        },
    )


@hr_required
@require_GET
def exports_status(request):
    """Progress of the officer's recent exports, for the page's polling script."""
    now = timezone.now()
    jobs = [
        {
            key: value
            for key, value in _job_view(job, now=now).items()
            if key not in ("created_at", "expires_at")
        }
        for job in hr_export_jobs(request.user)
    ]
    return JsonResponse({"jobs": jobs})


@require_GET
def export_download(request, token: str):
    """The file of a finished export, for its requester only, while link and file are valid.

    Anyone else, a forged or expired link, or an expired file: 404, so nothing confirms that
    an export exists. Someone signed in without an HR role: 403, as everywhere in /hr/."""
    if not request.user.is_authenticated:
        raise Http404
    if not is_hr_officer(request.user):
        raise PermissionDenied
    job_id = job_id_from_token(token)
    job = (
        ExportJob.objects.filter(
            pk=job_id,
            requester=request.user,
            status=ExportStatus.DONE,
            expires_at__gt=timezone.now(),
        ).first()
        if job_id is not None
        else None
    )
    if job is None or not job.file:
        raise Http404
    filename = f"capacitas-hr-{timezone.localdate(job.finished_at).isoformat()}.{job.format}"
    if getattr(settings, "PRIVATE_STORAGE_SIGNED_URLS", False):
        # Object storage: the client fetches the file from a short-lived signed URL, so no
        # web worker is held while the bytes travel.
        return redirect(job.file.url)
    return FileResponse(
        job.file.open("rb"),
        as_attachment=True,
        filename=filename,
        content_type=CONTENT_TYPES[job.format],
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


def _matrix_filters(request):
    try:
        return matrix_filters_parse(request.user, request.GET)
    except OutOfScope:
        raise Http404 from None


@hr_required
@require_GET
def matrix(request):
    """People in the officer's scope × the courses assigned to them, a page at a time."""
    today = timezone.localdate()
    filters = _matrix_filters(request)
    if filters.invalid:
        messages.warning(request, _invalid_filters_message(filters))
    data = hr_compliance_matrix(request.user, filters, today=today, page=request.GET.get("page"))
    choices = hr_filter_choices(request.user)
    query = filters.as_query()
    return render(
        request,
        "learners/hr/matrix.html",
        {
            "matrix": data,
            "page_obj": data.page,
            "filters": filters,
            "choices": choices,
            "filter_query": query,
            "query_string": urlencode(query),
            "page_size": MATRIX_PAGE_SIZE,
            "direct_export_max_rows": DIRECT_EXPORT_MAX_ROWS,
            "today": today,
        },
    )


@hr_required
@require_GET
def matrix_export_csv(request):
    """The matrix as CSV: at once up to DIRECT_EXPORT_MAX_ROWS people, else the exports page."""
    filters = _matrix_filters(request)
    if refused := _export_refused(request, filters):
        return refused
    if matrix_people_count(request.user, filters, today=timezone.localdate()) > (
        DIRECT_EXPORT_MAX_ROWS
    ):
        return redirect(_exports_page(filters, ExportFormat.CSV, ExportReport.MATRIX))
    return _stream_matrix_csv(request.user, filters)


@hr_required
@require_GET
def matrix_export_xlsx(request):
    """Workbooks are always built in the background."""
    filters = _matrix_filters(request)
    if refused := _export_refused(request, filters):
        return refused
    return redirect(_exports_page(filters, ExportFormat.XLSX, ExportReport.MATRIX))
