"""The enrolment gate in front of lessons and quizzes, and the record of lesson views."""

from django.contrib.auth.views import redirect_to_login
from django.template.response import TemplateResponse
from wagtail import hooks

from courses.selectors.content import is_lesson
from courses.selectors.outline import course_for_page, course_outline
from courses.selectors.quizzes import is_quiz
from learners.progress.selectors import enrolment_current
from learners.progress.services import lesson_view_record


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
    course = course_for_page(page)
    if course is None:
        return None
    user = request.user
    enrolment = enrolment_current(user, course.pk) if user.is_authenticated else None
    if enrolment is not None:
        lesson_view_record(user=user, enrolment=enrolment, lesson=page)
        return None
    if user.is_authenticated and user.is_superuser:
        return None
    if course.first_lesson_preview:
        first = course_outline(course).first_lesson
        if first is not None and first.id == page.pk:
            request.is_lesson_preview = True
            return None
    return _refuse(request, page, course)


@hooks.register("before_serve_page")
def gate_quizzes(page, request, serve_args, serve_kwargs):
    """Only enrolled learners (and administrators) open a quiz; there is no free preview."""
    if not is_quiz(page):
        return None
    course = course_for_page(page)
    if course is None:
        return None
    user = request.user
    if user.is_authenticated and (
        user.is_superuser or enrolment_current(user, course.pk) is not None
    ):
        return None
    return _refuse(request, page, course, is_quiz=True)
