"""The learner's workbook: fill, save (also by autosave), submit, read reviewed versions, export."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.response import TemplateResponse
from django.utils import formats, timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from courses.selectors.workbooks import get_live_workbook, workbook_course, workbook_spec
from learners.common.ids import parse_id
from learners.workbooks.display import answer_lines, display_sections
from learners.workbooks.models import Workbook, WorkbookSubmission
from learners.workbooks.rules import answers_length
from learners.workbooks.selectors import (
    submission_for_learner,
    workbook_for_learner,
    workbook_state,
)
from learners.workbooks.services import (
    WorkbookConflict,
    WorkbookInvalid,
    WorkbookRefused,
    workbook_open,
    workbook_save,
    workbook_submit,
)

# What one autosave or save may post at most; a larger body is refused before parsing.
AUTOSAVE_HEADER = "X-Workbook-Autosave"


def _saved_label(workbook: Workbook | None) -> str:
    if workbook is None or workbook.saved_at is None:
        return _("Not saved yet")
    moment = timezone.localtime(workbook.saved_at)
    return _("Last saved %(when)s") % {"when": formats.date_format(moment, "DATETIME_FORMAT")}


def _render_edit(request, *, page, state, workbook, spec, answers, status=200, **extra):
    course = workbook_course(page)
    return TemplateResponse(
        request,
        "learners/workbooks/workbook_edit.html",
        {
            "page": page,
            "course": course,
            "state": state,
            "workbook": workbook,
            "spec": spec,
            "sections": display_sections(spec, answers),
            # After a refused save the form keeps the version the learner started from, so that
            # a save made meanwhile elsewhere is still detected at their next attempt.
            "version": extra.pop("posted_version", workbook.version),
            "saved_label": _saved_label(workbook),
            "total_chars": answers_length(answers),
            "reflection_seeds": extra.pop("reflection_seeds", None),
            **extra,
        },
        status=status,
    )


def _refused_lines(spec: dict, answers: dict) -> list[dict]:
    """The refused answers as plain text, field by field, for the learner to copy."""
    result = []
    for section in display_sections(spec, answers, pad=False):
        for field in section["fields"]:
            lines = answer_lines(field)
            if lines:
                result.append(
                    {
                        "section": section["heading"],
                        "label": field["label"],
                        "text": "\n".join(lines),
                    }
                )
    return result


def _seeds(request, spec: dict, workbook: Workbook) -> dict[str, str]:
    from learners.journal.selectors import reflections_text_by_lesson

    lesson_ids = {
        f["seed_lesson_id"]
        for s in spec["sections"]
        for f in s["fields"]
        if f["type"] == "long_text" and f.get("seed_lesson_id")
    }
    if not lesson_ids:
        return {}
    texts = reflections_text_by_lesson(request.user, lesson_ids)
    return {
        f["id"]: texts[f["seed_lesson_id"]]
        for s in spec["sections"]
        for f in s["fields"]
        if f["type"] == "long_text"
        and f.get("seed_lesson_id") in texts
        and not workbook.answers.get(f["id"])
    }


@login_required
@require_http_methods(["GET", "POST"])
def workbook_edit(request, page_id: int):
    page = get_live_workbook(page_id)
    if page is None:
        raise Http404
    state = workbook_state(request.user, page)
    if state.enrolment is None:
        return TemplateResponse(
            request,
            "learners/progress/enrol_prompt.html",
            {"page": page, "course": workbook_course(page), "is_quiz": False},
            status=403,
        )
    workbook = state.workbook or workbook_open(
        user=request.user, enrolment=state.enrolment, page=page
    )
    spec = workbook_spec(page)
    autosave = request.headers.get(AUTOSAVE_HEADER) == "1"
    if request.method == "GET":
        return _render_edit(
            request,
            page=page,
            state=state,
            workbook=workbook,
            spec=spec,
            answers=workbook.answers,
            reflection_seeds=_seeds(request, spec, workbook) if state.editable else None,
        )

    try:
        expected = int(request.POST.get("version", ""))
    except ValueError:
        expected = -1  # a malformed version can match no row: refused as a conflict
    action = request.POST.get("action", "save")
    try:
        workbook = workbook_save(
            user=request.user,
            workbook=workbook,
            spec=spec,
            data=request.POST,
            expected_version=expected,
        )
        if action == "submit":
            submission = workbook_submit(user=request.user, workbook=workbook, spec=spec)
    except WorkbookConflict as conflict:
        if autosave:
            return JsonResponse(
                {"ok": False, "conflict": True, "message": str(conflict)}, status=409
            )
        workbook.refresh_from_db()
        return _render_edit(
            request,
            page=page,
            state=state,
            workbook=workbook,
            spec=spec,
            answers=workbook.answers,
            status=409,
            conflict=str(conflict),
            refused=_refused_lines(spec, conflict.parsed.answers),
        )
    except WorkbookInvalid as invalid:
        errors = invalid.parsed.errors
        if autosave:
            return JsonResponse(
                {"ok": False, "message": " ".join(errors.values()), "errors": errors}, status=400
            )
        # The form shows back every posted value, so the learner loses nothing while fixing.
        return _render_edit(
            request,
            page=page,
            state=state,
            workbook=workbook,
            spec=spec,
            answers=invalid.parsed.answers,
            status=400,
            errors=errors,
            posted_version=expected if expected >= 0 else workbook.version,
        )
    except WorkbookRefused as refusal:
        if autosave:
            return JsonResponse({"ok": False, "message": str(refusal)}, status=409)
        messages.error(request, str(refusal))
        return redirect("learn_workbook", page_id=page.pk)
    if autosave:
        return JsonResponse(
            {"ok": True, "version": workbook.version, "saved": _saved_label(workbook)}
        )
    if action == "submit":
        messages.success(
            request, _("Your workbook was submitted for review. You will get an e-mail.")
        )
        return redirect(
            "learn_workbook_submission", public_id=workbook.public_id, number=submission.number
        )
    messages.success(request, _saved_label(workbook))
    return redirect("learn_workbook", page_id=page.pk)


def _own_submission(request, public_id, number: int) -> WorkbookSubmission:
    submission = submission_for_learner(request.user, public_id, number)
    if submission is None:
        raise Http404  # not the learner's: nothing says whether it exists
    return submission


@login_required
@require_GET
def submission_detail(request, public_id, number: int):
    submission = _own_submission(request, public_id, number)
    versions = list(submission.workbook.submissions.order_by("-number").values("number", "status"))
    return render(
        request,
        "learners/workbooks/submission.html",
        {
            "submission": submission,
            "workbook": submission.workbook,
            "sections": display_sections(submission.snapshot, submission.answers, pad=False),
            "rubric": _rubric_display(submission),
            "versions": versions,
        },
    )


def _rubric_display(submission: WorkbookSubmission) -> list[dict]:
    rows = []
    for criterion in submission.snapshot.get("rubric") or []:
        index = submission.rubric_scores.get(criterion["id"])
        level = criterion["levels"][index] if index is not None else None
        rows.append({**criterion, "chosen": level})
    return rows


def _export_source(request, public_id):
    """What to export: a submitted version (`?version=n`) or the current draft."""
    raw = request.GET.get("version", "")
    if raw:
        number = parse_id(raw)
        if number is None:
            raise Http404
        submission = _own_submission(request, public_id, number)
        return submission.workbook, submission.snapshot, submission.answers, submission
    workbook = workbook_for_learner(request.user, public_id)
    if workbook is None:
        raise Http404
    if workbook.page_id is not None and (page := get_live_workbook(workbook.page_id)):
        return workbook, workbook_spec(page), workbook.answers, None
    latest = workbook.submissions.order_by("-number").first()
    if latest is None:
        raise Http404
    return workbook, latest.snapshot, latest.answers, latest


def _filename(workbook: Workbook, ext: str) -> str:
    return f"{slugify(workbook.page_title)[:60] or 'workbook'}.{ext}"


@login_required
@require_GET
def workbook_pdf(request, public_id):
    from learners.workbooks.exports import workbook_pdf_bytes

    workbook, spec, answers, submission = _export_source(request, public_id)
    response = HttpResponse(
        workbook_pdf_bytes(workbook=workbook, spec=spec, answers=answers, submission=submission),
        content_type="application/pdf",
    )
    response["Content-Disposition"] = f'attachment; filename="{_filename(workbook, "pdf")}"'
    return response


@login_required
@require_GET
def workbook_docx(request, public_id):
    from learners.workbooks.exports import DOCX_TYPE, workbook_docx_bytes

    workbook, spec, answers, submission = _export_source(request, public_id)
    response = HttpResponse(
        workbook_docx_bytes(workbook=workbook, spec=spec, answers=answers, submission=submission),
        content_type=DOCX_TYPE,
    )
    response["Content-Disposition"] = f'attachment; filename="{_filename(workbook, "docx")}"'
    return response
