"""Where learner state meets content pages: the enrolment gate in front of lessons."""

from django.contrib.auth.views import redirect_to_login
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

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


# --- Certificates in the admin: administrators only ---------------------------------------------
@hooks.register("register_admin_urls")
def certificate_admin_urls():
    from django.urls import path

    from learners.views import certificate_admin

    return [
        path("certificates/", certificate_admin.certificate_index, name="certificate_admin_index"),
        path(
            "certificates/<int:pk>/",
            certificate_admin.certificate_detail,
            name="certificate_admin_detail",
        ),
    ]


class _AdministratorMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.is_superuser


@hooks.register("register_admin_menu_item")
def certificate_menu_item():
    return _AdministratorMenuItem(
        _("Certificates"), reverse("certificate_admin_index"), icon_name="doc-full", order=900
    )
