"""The enrolment gate in front of lessons and quizzes, and the record of lesson views.

The gate reads the course's outline and the learner's enrolment once; both stay on the request
for the page's template tags (`course_progress_for`, `quiz_status_for`), which would otherwise
read them again.
"""

from django.contrib.auth.views import redirect_to_login
from django.template.response import TemplateResponse
from wagtail import hooks

from courses.selectors.content import is_lesson
from courses.selectors.outline import outline_for_page
from courses.selectors.quizzes import is_quiz
from learners.progress.page_cache import lesson_view_noted, mark_page
from learners.progress.selectors import learner_course_state_for_request
from learners.progress.services import lesson_view_note


def _refuse(request, page, course, *, is_quiz: bool = False):
    """Anonymous visitors log in first; signed-in learners who are not enrolled are offered
    enrolment (403: the content is not theirs to read yet)."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    return TemplateResponse(
        request,
        "learners/progress/enrol_prompt.html",
        {"page": page, "course": course, "is_quiz": is_quiz},
        status=403,
    )


@hooks.register("before_serve_page")
def gate_lessons(page, request, serve_args, serve_kwargs):
    if not is_lesson(page):
        return None
    outline = outline_for_page(page, request)
    if outline is None:
        return None
    user = request.user
    if user.is_authenticated:
        state = learner_course_state_for_request(request, outline.course_id)
        if state.enrolment is not None:
            wrote = lesson_view_note(
                user=user,
                enrolment=state.enrolment,
                lesson=page,
                viewed=page.pk in state.viewed_ids,
            )
            # The learner-page cache keeps this page only if nothing was written, with the
            # activity time its hits check (learners/progress/page_cache.py).
            lesson_view_noted(
                request, wrote=wrote, last_activity_at=state.enrolment.last_activity_at
            )
            return None
        if user.is_superuser:
            return None
    if outline.course.first_lesson_preview:
        first = outline.first_lesson
        if first is not None and first.id == page.pk:
            request.is_lesson_preview = True
            return None
    return _refuse(request, page, outline.course)


@hooks.register("before_serve_page")
def gate_quizzes(page, request, serve_args, serve_kwargs):
    """Only enrolled learners (and administrators) open a quiz; there is no free preview."""
    if not is_quiz(page):
        return None
    outline = outline_for_page(page, request)
    if outline is None:
        return None
    user = request.user
    if user.is_authenticated and (
        user.is_superuser
        or learner_course_state_for_request(request, outline.course_id).enrolment is not None
    ):
        return None
    return _refuse(request, page, outline.course, is_quiz=True)


@hooks.register("before_serve_page")
def learner_page_cache_mark(page, request, serve_args, serve_kwargs):
    """A page the learner-page cache may keep renders its CSRF token as a placeholder."""
    mark_page(page, request)
    return None
