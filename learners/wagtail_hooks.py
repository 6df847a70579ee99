"""Where learner state meets content pages: the enrolment gate in front of lessons and
quizzes, and the trainers' quiz reports in the Wagtail admin."""

from django.contrib.auth.views import redirect_to_login
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from courses.selectors import course_for_page, course_outline, is_lesson, is_quiz
from learners.selectors.progress import enrolment_current
from learners.services.progress import lesson_view_record


def _refuse(request, page, course, *, is_quiz: bool = False):
    """Anonymous visitors log in first; signed-in learners who are not enrolled are offered
    enrolment (403: the content is not theirs to read yet)."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    return TemplateResponse(
        request,
        "learners/enrol_prompt.html",
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


@hooks.register("register_admin_urls")
def quiz_report_urls():
    from django.urls import path

    from learners.views import quiz_reports

    return [
        path("quiz-reports/", quiz_reports.report_index, name="quiz_reports"),
        path("quiz-reports/<int:quiz_id>/", quiz_reports.report_detail, name="quiz_report"),
        path("quiz-reports/<int:quiz_id>/csv/", quiz_reports.report_csv, name="quiz_report_csv"),
    ]


@hooks.register("register_admin_menu_item")
def quiz_report_menu_item():
    from django.urls import reverse
    from django.utils.translation import gettext_lazy as _
    from wagtail.admin.menu import MenuItem

    class ReportsMenuItem(MenuItem):
        def is_shown(self, request):
            return request.user.has_perm("courses.view_quiz_reports")

    return ReportsMenuItem(_("Quiz reports"), reverse("quiz_reports"), icon_name="table", order=900)


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


@hooks.register("register_admin_viewset")
def register_organisation_admin():
    from learners.admin_hr import OrganisationsGroup

    return OrganisationsGroup()
