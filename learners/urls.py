from django.urls import path

from learners.views import hr, learning

urlpatterns = [
    path("learn/", learning.dashboard, name="learn_dashboard"),
    path("learn/transcript/", learning.transcript, name="learn_transcript"),
    path("learn/courses/<int:course_id>/enrol/", learning.enrol, name="learn_enrol"),
    path(
        "learn/lessons/<int:lesson_id>/complete/",
        learning.complete_lesson,
        name="learn_complete_lesson",
    ),
    path("hr/", hr.dashboard, name="hr_dashboard"),
    path("hr/export.csv", hr.export_csv, name="hr_export_csv"),
    path("hr/export.xlsx", hr.export_xlsx, name="hr_export_xlsx"),
    path("hr/learners/<int:user_id>/", hr.learner_detail, name="hr_learner"),
    path(
        "hr/learners/<int:user_id>/department/",
        hr.learner_department,
        name="hr_learner_department",
    ),
    path("hr/assignments/", hr.assignments, name="hr_assignments"),
    path("hr/assignments/new/", hr.assignment_new, name="hr_assignment_new"),
]
