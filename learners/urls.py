from django.urls import path

from learners.views import learning

urlpatterns = [
    path("learn/", learning.dashboard, name="learn_dashboard"),
    path("learn/transcript/", learning.transcript, name="learn_transcript"),
    path("learn/courses/<int:course_id>/enrol/", learning.enrol, name="learn_enrol"),
    path(
        "learn/lessons/<int:lesson_id>/complete/",
        learning.complete_lesson,
        name="learn_complete_lesson",
    ),
]
