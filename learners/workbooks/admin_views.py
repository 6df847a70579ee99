"""Trainers' review of workbooks in the Wagtail admin, scoped by page permissions."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.views.decorators.http import require_http_methods

from learners.workbooks.display import display_sections
from learners.workbooks.selectors import (
    age_days,
    earlier_versions,
    review_queue,
    submission_for_reviewer,
)
from learners.workbooks.services import WorkbookRefused, submission_review


def review_index(request):
    queue = review_queue(request.user)
    waiting = [{"submission": s, "age": age_days(s.submitted_at)} for s in queue.waiting]
    return TemplateResponse(
        request,
        "learners/workbooks/admin/review_index.html",
        {"rows": queue.rows, "waiting": waiting},
    )


@require_http_methods(["GET", "POST"])
def review_detail(request, submission_id: int):
    submission = submission_for_reviewer(request.user, submission_id)
    if submission is None:
        raise Http404  # not one of the reviewer's courses: nothing says it exists
    rubric = submission.snapshot.get("rubric") or []
    error = ""
    posted = request.POST if request.method == "POST" else {}
    if request.method == "POST":
        levels = {}
        for criterion in rubric:
            raw = request.POST.get(f"level-{criterion['id']}", "")
            if raw.isdigit():
                levels[criterion["id"]] = int(raw)
        feedback = {
            section["id"]: request.POST.get(f"feedback-{section['id']}", "")
            for section in submission.snapshot.get("sections") or []
        }
        try:
            submission_review(
                reviewer=request.user,
                submission=submission,
                levels=levels,
                section_feedback=feedback,
                overall_feedback=request.POST.get("overall", ""),
                accept=request.POST.get("decision") == "accept",
            )
        except WorkbookRefused as refusal:
            error = str(refusal)
        else:
            messages.success(request, submission.get_status_display())
            return redirect("workbook_review_index")
    sections = display_sections(submission.snapshot, submission.answers, pad=False)
    for section in sections:
        section["feedback"] = posted.get(f"feedback-{section['id']}") or (
            submission.section_feedback.get(section["id"], "")
        )
    criteria = []
    for criterion in rubric:
        chosen = posted.get(f"level-{criterion['id']}") or submission.rubric_scores.get(
            criterion["id"]
        )
        criteria.append(
            {
                **criterion,
                "levels": [
                    {**level, "index": i, "checked": str(i) == str(chosen)}
                    for i, level in enumerate(criterion["levels"])
                ],
            }
        )
    return TemplateResponse(
        request,
        "learners/workbooks/admin/review_detail.html",
        {
            "submission": submission,
            "sections": sections,
            "criteria": criteria,
            "earlier": earlier_versions(submission),
            "error": error,
            "overall": posted.get("overall", submission.overall_feedback),
            "age": age_days(submission.submitted_at),
        },
        status=400 if error else 200,
    )
