"""The reflection journal: save a private answer from a lesson, list and export them."""

from __future__ import annotations

import csv

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from courses.selectors.content import get_live_lesson, lesson_reflection_prompt
from courses.selectors.outline import course_for_page
from learners.common.spreadsheets import neutralise_cell
from learners.journal.selectors import notes_for
from learners.journal.services import NoteRefused, note_save
from learners.progress.selectors import enrolment_current


@login_required
@require_POST
def note_save_view(request, lesson_id: int, block_id: str):
    lesson = get_live_lesson(lesson_id)
    if lesson is None:
        raise Http404
    prompt = lesson_reflection_prompt(lesson, block_id)
    course = course_for_page(lesson)
    if prompt is None or course is None or enrolment_current(request.user, course.pk) is None:
        raise Http404  # only enrolled learners keep notes, on prompts that exist
    try:
        note = note_save(
            user=request.user,
            lesson=lesson,
            block_id=block_id,
            prompt=prompt,
            course_id=course.pk,
            course_title=course.title,
            text=request.POST.get("text", ""),
        )
    except NoteRefused as refusal:
        # The text comes back in the message's page only through the browser's back button;
        # the box limits its length, so this is reached only by a crafted request.
        messages.error(request, str(refusal))
    else:
        messages.success(
            request, _("Your note is saved in My notes.") if note else _("Your note was removed.")
        )
    return redirect(f"{lesson.url}#reflection-{block_id}")


@login_required
@require_GET
def my_notes(request):
    return render(request, "learners/journal/my_notes.html", {"notes": notes_for(request.user)})


@login_required
@require_GET
def notes_csv(request):
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="my-notes.csv"'
    writer = csv.writer(response)
    writer.writerow([_("Course"), _("Lesson"), _("Prompt"), _("My note"), _("Last changed")])
    for note in notes_for(request.user):
        writer.writerow(
            [
                neutralise_cell(note.course_title),
                neutralise_cell(note.lesson_title),
                neutralise_cell(note.prompt),
                neutralise_cell(note.text),
                note.updated_at.date().isoformat(),
            ]
        )
    return response
