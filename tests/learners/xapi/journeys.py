"""A learner's journey through the real services that records every verb Capacitas emits."""

from learners.attempts.services import attempt_start, attempt_submit
from learners.models import ActivityEvent, Enrolment
from learners.progress.services import enrolment_create, lesson_complete, lesson_view_record
from tests.factories import correct_form, make_course, make_quiz, wrong_form


def every_verb_journey(user) -> list[ActivityEvent]:
    """Enrol, view, fail then pass a quiz, complete every lesson: registered, experienced,
    attempted, failed, passed, completed (lesson and course) and earned (the certificate)."""
    tree = make_course(modules=1, lessons_per_module=2)
    quiz = make_quiz(tree.modules[0], questions=3, attempts_allowed=3)
    enrolment, _ = enrolment_create(user=user, course=tree.course)
    lesson_view_record(user=user, enrolment=enrolment, lesson=tree.lessons[0])
    first = attempt_start(user=user, quiz=quiz)
    attempt_submit(user=user, attempt=first, data=wrong_form(first.snapshot))
    second = attempt_start(user=user, quiz=quiz)
    attempt_submit(user=user, attempt=second, data=correct_form(second.snapshot))
    for lesson in tree.lessons:
        lesson_complete(user=user, enrolment=Enrolment.objects.get(pk=enrolment.pk), lesson=lesson)
    return list(ActivityEvent.objects.filter(actor=user).order_by("id"))
