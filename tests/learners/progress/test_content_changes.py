"""Learner records survive what trainers later do to the content."""

import pytest

from courses.models import LessonPage, ModulePage
from courses.selectors.outline import course_outline
from learners.models import ActivityEvent, Enrolment, LessonProgress
from learners.progress.selectors import course_progress, learner_dashboard, learner_transcript
from learners.progress.services import enrolment_completion_check, enrolment_create, lesson_complete
from tests.factories import LESSON_BODY, _publish, make_course

pytestmark = pytest.mark.django_db


@pytest.fixture
def completed(learner):
    """A course of 2 x 2 lessons the learner has completed."""
    tree = make_course(modules=2, lessons_per_module=2)
    enrolment, _ = enrolment_create(user=learner, course=tree.course)
    for lesson in tree.lessons:
        lesson_complete(user=learner, enrolment=enrolment, lesson=lesson)
    enrolment.refresh_from_db()
    assert enrolment.completed_at is not None
    return tree, enrolment


def progress_of(user, tree):
    return course_progress(user, course_outline(tree.course))


def assert_completion_stays(user, enrolment):
    completed_at = enrolment.completed_at
    assert enrolment_completion_check(enrolment=enrolment) is False
    enrolment.refresh_from_db()
    assert enrolment.completed_at == completed_at
    assert [e.pk for e in learner_transcript(user)] == [enrolment.pk]
    dashboard = learner_dashboard(user)
    assert [entry.enrolment.pk for entry in dashboard.completed] == [enrolment.pk]
    assert dashboard.in_progress == []


def test_lesson_moved_to_another_module_keeps_records_and_completion(learner, completed):
    tree, enrolment = completed
    lesson = tree.lessons[0]
    lesson.move(tree.modules[1], pos="last-child")
    rows = LessonProgress.objects.filter(enrolment=enrolment)
    assert rows.count() == 4 and rows.filter(lesson=lesson).exists()
    progress = progress_of(learner, tree)
    assert (progress.lessons_done, progress.lessons_total, progress.percent) == (4, 4, 100)
    assert progress.module_percents == {tree.modules[0].pk: 100, tree.modules[1].pk: 100}
    assert_completion_stays(learner, enrolment)


def test_lesson_moved_to_another_course_is_recounted_on_what_is_live(learner, completed):
    tree, enrolment = completed
    other = make_course(modules=1, lessons_per_module=0)
    lesson = tree.lessons[0]
    lesson.move(other.modules[0], pos="last-child")
    progress = progress_of(learner, tree)
    assert (progress.lessons_done, progress.lessons_total, progress.percent) == (3, 3, 100)
    row = LessonProgress.objects.get(enrolment=enrolment, lesson=lesson)
    assert row.completed_at is not None
    assert_completion_stays(learner, enrolment)


def test_lesson_unpublished_after_completion(learner, completed):
    tree, enrolment = completed
    lesson = tree.lessons[3]
    lesson.unpublish()
    assert LessonProgress.objects.filter(enrolment=enrolment).count() == 4
    progress = progress_of(learner, tree)
    assert (progress.lessons_done, progress.lessons_total, progress.percent) == (3, 3, 100)
    assert progress.module_percents[tree.modules[1].pk] == 100
    assert_completion_stays(learner, enrolment)


def test_module_unpublished_after_completion(learner, completed):
    tree, enrolment = completed
    tree.modules[1].unpublish()
    progress = progress_of(learner, tree)
    assert (progress.lessons_done, progress.lessons_total) == (2, 2)
    assert list(progress.module_percents) == [tree.modules[0].pk]
    assert_completion_stays(learner, enrolment)


def test_lesson_deleted_after_completion_keeps_the_title_snapshot(learner, completed):
    tree, enrolment = completed
    lesson = tree.lessons[1]
    title, lesson_id = lesson.title, lesson.pk
    # A later rename does not rewrite history either.
    lesson.title = "Renamed before deletion"
    _publish(lesson)
    lesson.delete()
    assert not LessonPage.objects.filter(pk=lesson_id).exists()
    rows = LessonProgress.objects.filter(enrolment=enrolment)
    assert rows.count() == 4
    orphan = rows.get(lesson__isnull=True)
    assert orphan.lesson_title == title
    assert orphan.completed_at is not None
    assert ActivityEvent.objects.filter(object_type="lesson", object_id=lesson_id).count() == 1
    progress = progress_of(learner, tree)
    assert (progress.lessons_done, progress.lessons_total, progress.percent) == (3, 3, 100)
    assert_completion_stays(learner, enrolment)


def test_module_deleted_after_completion(learner, completed):
    tree, enrolment = completed
    ModulePage.objects.get(pk=tree.modules[0].pk).delete()
    assert LessonProgress.objects.filter(enrolment=enrolment, lesson__isnull=True).count() == 2
    progress = progress_of(learner, tree)
    assert (progress.lessons_done, progress.lessons_total, progress.percent) == (2, 2, 100)
    assert_completion_stays(learner, enrolment)


def test_course_deleted_keeps_enrolment_and_transcript(learner, completed):
    tree, enrolment = completed
    title = tree.course.title
    tree.course.delete()
    enrolment.refresh_from_db()
    assert enrolment.course_id is None and enrolment.course_title == title
    assert enrolment.completed_at is not None
    assert LessonProgress.objects.filter(enrolment=enrolment).count() == 4
    assert enrolment_completion_check(enrolment=enrolment) is False
    assert [e.pk for e in learner_transcript(learner)] == [enrolment.pk]
    entry = learner_dashboard(learner).completed[0]
    assert entry.course_url is None and entry.continue_url is None


def test_new_lesson_after_completion_leaves_completion_recorded(learner, completed):
    tree, enrolment = completed
    completed_at = enrolment.completed_at
    new = LessonPage(title="Lesson 2.3", slug="lesson-2-3", body=LESSON_BODY)
    tree.modules[1].add_child(instance=new)
    _publish(new)
    progress = progress_of(learner, tree)
    assert (progress.lessons_done, progress.lessons_total, progress.percent) == (4, 5, 80)
    assert progress.is_completed
    assert progress.continue_item.id == new.pk
    entry = learner_dashboard(learner).completed[0]
    assert entry.percent == 80 and entry.continue_url == new.url
    lesson_complete(user=learner, enrolment=enrolment, lesson=new)
    enrolment.refresh_from_db()
    assert enrolment.completed_at == completed_at
    assert Enrolment.objects.count() == 1
