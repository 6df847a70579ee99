"""My learning, enrolling and marking lessons complete (the transcript, which shows
certificates, is in learners/certificates/transcript_views.py)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from courses.selectors.content import get_live_course, get_live_lesson
from courses.selectors.outline import course_for_page
from courses.selectors.scorm import is_scorm_lesson_id
from learners.common.redirects import safe_next_url
from learners.progress.page_cache import learner_page_cached
from learners.progress.selectors import enrolment_current, learner_dashboard
from learners.progress.services import EnrolmentRefused, enrolment_create, lesson_complete


def _safe_next(request, fallback: str) -> str:
    return safe_next_url(request, request.POST.get("next"), fallback)


@login_required
@require_POST
def enrol(request, course_id: int):
    course = get_live_course(course_id)
    if course is None:
        raise Http404
    try:
        _enrolment, created = enrolment_create(
            user=request.user, course=course, language=request.LANGUAGE_CODE
        )
    except EnrolmentRefused as refusal:
        messages.error(request, str(refusal))
        return redirect(course.url)
    if created:
        messages.success(request, _("You are enrolled. Welcome to the course!"))
    return redirect(_safe_next(request, course.url))


@login_required
@require_POST
def complete_lesson(request, lesson_id: int):
    lesson = get_live_lesson(lesson_id)
    if lesson is None:
        raise Http404
    course = course_for_page(lesson)
    enrolment = enrolment_current(request.user, course.pk) if course else None
    if enrolment is None:
        messages.error(request, _("Enrol in the course to record your progress."))
        return redirect(course.url if course else "/")
    if is_scorm_lesson_id(lesson.pk):
        # A SCORM lesson completes when its package says so, never by hand.
        messages.error(request, _("This lesson is complete once you finish its activity."))
        return redirect(lesson.url)
    if lesson_complete(user=request.user, enrolment=enrolment, lesson=lesson):
        messages.success(request, _("Lesson marked as complete."))
    return redirect(_safe_next(request, lesson.url))


@learner_page_cached
@login_required
@require_GET
def dashboard(request):
    return render(
        request,
        "learners/progress/dashboard.html",
        {"dashboard": learner_dashboard(request.user)},
    )
