"""Trainers' quiz reports in the Wagtail admin."""

from wagtail import hooks


@hooks.register("register_admin_urls")
def quiz_report_urls():
    from django.urls import path

    from learners.attempts import admin_views as quiz_reports

    return [
        path("quiz-reports/", quiz_reports.report_index, name="quiz_reports"),
        path("quiz-reports/<id:quiz_id>/", quiz_reports.report_detail, name="quiz_report"),
        path("quiz-reports/<id:quiz_id>/csv/", quiz_reports.report_csv, name="quiz_report_csv"),
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
