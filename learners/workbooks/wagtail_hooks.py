"""The gate in front of workbook pages, and the trainers' review queue in the Wagtail admin."""

from django.contrib.auth.views import redirect_to_login
from django.template.response import TemplateResponse
from wagtail import hooks

from courses.selectors.workbooks import is_workbook, workbook_course
from learners.progress.selectors import enrolment_current


@hooks.register("before_serve_page")
def gate_workbooks(page, request, serve_args, serve_kwargs):
    """Enrolled learners (and administrators) read a workbook page; others are asked to enrol."""
    if not is_workbook(page):
        return None
    course = workbook_course(page)
    if course is None:
        return None
    user = request.user
    if not user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if user.is_superuser or enrolment_current(user, course.pk) is not None:
        return None
    return TemplateResponse(
        request,
        "learners/progress/enrol_prompt.html",
        {"page": page, "course": course, "is_quiz": False},
        status=403,
    )


@hooks.register("register_admin_urls")
def workbook_review_urls():
    from django.urls import path

    from learners.workbooks import admin_views

    return [
        path("workbook-reviews/", admin_views.review_index, name="workbook_review_index"),
        path(
            "workbook-reviews/<id:submission_id>/",
            admin_views.review_detail,
            name="workbook_review",
        ),
    ]


@hooks.register("register_admin_menu_item")
def workbook_review_menu_item():
    from django.urls import reverse
    from django.utils.translation import gettext_lazy as _
    from wagtail.admin.menu import MenuItem

    return MenuItem(
        _("Workbook reviews"), reverse("workbook_review_index"), icon_name="tasks", order=910
    )
