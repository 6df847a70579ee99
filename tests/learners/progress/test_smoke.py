import pytest

from courses.selectors.outline import course_outline
from learners.models import ActivityEvent, Enrolment, LessonProgress, Verb
from learners.progress.selectors import course_progress
from learners.progress.services import enrolment_create, lesson_complete

pytestmark = pytest.mark.django_db


def test_enrol_complete_all_lessons_completes_course(learner, course_tree):
    enrolment, created = enrolment_create(user=learner, course=course_tree.course)
    assert created
    again, created_again = enrolment_create(user=learner, course=course_tree.course)
    assert again.pk == enrolment.pk and not created_again
    for lesson in course_tree.lessons:
        assert lesson_complete(user=learner, enrolment=enrolment, lesson=lesson)
        assert not lesson_complete(user=learner, enrolment=enrolment, lesson=lesson)
    enrolment.refresh_from_db()
    assert enrolment.completed_at is not None
    assert Enrolment.objects.count() == 1
    assert LessonProgress.objects.count() == len(course_tree.lessons)
    verbs = list(ActivityEvent.objects.values_list("verb", flat=True))
    assert verbs.count(Verb.COMPLETED) == len(course_tree.lessons) + 1
    progress = course_progress(learner, course_outline(course_tree.course))
    assert progress.percent == 100 and progress.is_completed
