"""Where learner state meets content pages: the enrolment gate in front of lessons."""

from django.contrib.auth.views import redirect_to_login
from django.template.response import TemplateResponse
from wagtail import hooks

from courses.selectors import course_for_page, course_outline, is_lesson
from learners.selectors.progress import enrolment_current
from learners.services.progress import lesson_view_record


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
    if not user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    return TemplateResponse(
        request,
        "learners/enrol_prompt.html",
        {"page": page, "course": course},
        status=403,
    )


@hooks.register("register_admin_viewset")
def register_organisation_admin():
    from learners.admin_hr import OrganisationsGroup

    return OrganisationsGroup()
