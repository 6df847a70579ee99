"""Services: enrolment, lesson progress, completion and the activity they record."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from courses.models import CompletionRule, EnrolmentPolicy
from courses.selectors.outline import course_outline
from learners.models import ActivityEvent, Enrolment, EnrolmentSource, LessonProgress, Verb
from learners.progress import services as progress_services
from learners.progress.selectors import course_progress, learner_transcript
from learners.progress.services import (
    EnrolmentRefused,
    enrolment_completion_check,
    enrolment_create,
    enrolment_renew,
    lesson_complete,
    lesson_view_record,
)
from learners.progress.signals import course_completed
from tests.factories import make_course

pytestmark = pytest.mark.django_db

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.fixture
def completions():
    """Every `course_completed` signal sent during the test."""
    sent = []

    def receiver(sender, enrolment, **kwargs):
        sent.append(enrolment.pk)

    course_completed.connect(receiver, dispatch_uid="test-completions")
    yield sent
    course_completed.disconnect(dispatch_uid="test-completions")


def complete_all(user, enrolment, lessons):
    for lesson in lessons:
        lesson_complete(user=user, enrolment=enrolment, lesson=lesson)
    enrolment.refresh_from_db()


# --- Enrolment ------------------------------------------------------------------------------
def test_enrolment_create_records_title_snapshot_and_event(learner, course_tree):
    enrolment, created = enrolment_create(user=learner, course=course_tree.course)
    assert created
    assert enrolment.cycle == 1
    assert enrolment.source == EnrolmentSource.SELF
    assert enrolment.course_title == course_tree.course.title
    event = ActivityEvent.objects.get()
    assert (event.actor, event.verb, event.object_type, event.object_id) == (
        learner,
        Verb.REGISTERED,
        "course",
        course_tree.course.pk,
    )


def test_enrolling_twice_is_a_no_op(learner, course_tree):
    first, created = enrolment_create(user=learner, course=course_tree.course)
    second, created_again = enrolment_create(user=learner, course=course_tree.course)
    assert created and not created_again
    assert first.pk == second.pk
    assert Enrolment.objects.count() == 1
    assert ActivityEvent.objects.filter(verb=Verb.REGISTERED).count() == 1


def test_assigned_only_course_refuses_self_enrolment(learner):
    tree = make_course(modules=1, lessons_per_module=1, enrolment_policy=EnrolmentPolicy.ASSIGNED)
    with pytest.raises(EnrolmentRefused):
        enrolment_create(user=learner, course=tree.course)
    assert not Enrolment.objects.exists()
    assert not ActivityEvent.objects.exists()
    enrolment, created = enrolment_create(
        user=learner, course=tree.course, source=EnrolmentSource.ASSIGNED
    )
    assert created and enrolment.source == EnrolmentSource.ASSIGNED


def test_enrolments_of_two_learners_are_separate(learner, other_learner, course_tree):
    mine, _ = enrolment_create(user=learner, course=course_tree.course)
    theirs, _ = enrolment_create(user=other_learner, course=course_tree.course)
    assert mine.pk != theirs.pk
    lesson_complete(user=learner, enrolment=mine, lesson=course_tree.lessons[0])
    outline = course_outline(course_tree.course)
    assert course_progress(learner, outline).lessons_done == 1
    assert course_progress(other_learner, outline).lessons_done == 0


def test_renew_keeps_an_unfinished_cycle(learner, course_tree):
    enrolment, _ = enrolment_create(user=learner, course=course_tree.course)
    assert enrolment_renew(user=learner, course=course_tree.course).pk == enrolment.pk
    assert Enrolment.objects.count() == 1


def test_renew_opens_a_new_cycle_and_keeps_the_old(learner, course_tree):
    old, _ = enrolment_create(user=learner, course=course_tree.course)
    complete_all(learner, old, course_tree.lessons)
    new = enrolment_renew(user=learner, course=course_tree.course)
    old.refresh_from_db()
    assert new.pk != old.pk
    assert (old.cycle, new.cycle) == (1, 2)
    assert old.archived_at is not None and old.completed_at is not None
    assert new.archived_at is None and new.completed_at is None
    assert LessonProgress.objects.filter(enrolment=old).count() == len(course_tree.lessons)
    # The new cycle starts from zero; the transcript keeps the completed one.
    assert course_progress(learner, course_outline(course_tree.course)).percent == 0
    assert [e.pk for e in learner_transcript(learner)] == [old.pk]
    # Enrolling again now is a no-op on the new cycle.
    assert enrolment_create(user=learner, course=course_tree.course) == (new, False)


# --- Lesson progress ------------------------------------------------------------------------
def test_view_records_first_and_last_viewed_times(learner, course_tree):
    enrolment, _ = enrolment_create(user=learner, course=course_tree.course)
    lesson = course_tree.lessons[0]
    with time_machine.travel(T0, tick=False):
        row = lesson_view_record(user=learner, enrolment=enrolment, lesson=lesson)
    assert row.first_viewed_at == row.last_viewed_at == T0
    assert row.completed_at is None
    assert row.lesson_title == lesson.title
    with time_machine.travel(T0 + timedelta(days=3), tick=False):
        row = lesson_view_record(user=learner, enrolment=enrolment, lesson=lesson)
    assert row.first_viewed_at == T0
    assert row.last_viewed_at == T0 + timedelta(days=3)
    enrolment.refresh_from_db()
    assert enrolment.last_lesson_id == lesson.pk
    assert enrolment.last_activity_at == T0 + timedelta(days=3)
    assert LessonProgress.objects.count() == 1
    # Viewing again is not a new learning event.
    assert ActivityEvent.objects.filter(verb=Verb.EXPERIENCED).count() == 1


def test_lesson_complete_is_idempotent_and_keeps_the_first_completion_time(learner, course_tree):
    enrolment, _ = enrolment_create(user=learner, course=course_tree.course)
    lesson = course_tree.lessons[1]
    with time_machine.travel(T0, tick=False):
        lesson_view_record(user=learner, enrolment=enrolment, lesson=lesson)
    with time_machine.travel(T0 + timedelta(hours=1), tick=False):
        assert lesson_complete(user=learner, enrolment=enrolment, lesson=lesson) is True
    with time_machine.travel(T0 + timedelta(hours=2), tick=False):
        assert lesson_complete(user=learner, enrolment=enrolment, lesson=lesson) is False
    row = LessonProgress.objects.get()
    assert row.first_viewed_at == T0
    assert row.completed_at == T0 + timedelta(hours=1)
    assert ActivityEvent.objects.filter(verb=Verb.COMPLETED, object_type="lesson").count() == 1


def test_completing_an_unviewed_lesson_sets_its_view_times(learner, course_tree):
    enrolment, _ = enrolment_create(user=learner, course=course_tree.course)
    with time_machine.travel(T0, tick=False):
        lesson_complete(user=learner, enrolment=enrolment, lesson=course_tree.lessons[0])
    row = LessonProgress.objects.get()
    assert row.first_viewed_at == row.last_viewed_at == row.completed_at == T0


def test_percentages_count_live_lessons_per_module_and_course(learner):
    tree = make_course(modules=2, lessons_per_module=3)
    enrolment, _ = enrolment_create(user=learner, course=tree.course)
    for lesson in tree.lessons[:2]:
        lesson_complete(user=learner, enrolment=enrolment, lesson=lesson)
    progress = course_progress(learner, course_outline(tree.course))
    assert (progress.lessons_done, progress.lessons_total, progress.percent) == (2, 6, 33)
    assert progress.module_percents == {tree.modules[0].pk: 66, tree.modules[1].pk: 0}
    tree.lessons[5].unpublish()
    progress = course_progress(learner, course_outline(tree.course))
    assert (progress.lessons_done, progress.lessons_total, progress.percent) == (2, 5, 40)
    assert progress.module_percents[tree.modules[1].pk] == 0


def test_continue_offers_first_incomplete_lesson_after_last_viewed(learner):
    tree = make_course(modules=2, lessons_per_module=2)
    enrolment, _ = enrolment_create(user=learner, course=tree.course)
    outline = course_outline(tree.course)
    progress = course_progress(learner, outline)
    assert progress.continue_item.id == tree.lessons[0].pk and not progress.has_started
    lesson_complete(user=learner, enrolment=enrolment, lesson=tree.lessons[0])
    lesson_complete(user=learner, enrolment=enrolment, lesson=tree.lessons[2])
    lesson_view_record(user=learner, enrolment=enrolment, lesson=tree.lessons[2])
    progress = course_progress(learner, outline)
    assert progress.has_started
    assert progress.continue_item.id == tree.lessons[3].pk
    lesson_complete(user=learner, enrolment=enrolment, lesson=tree.lessons[3])
    assert course_progress(learner, outline).continue_item.id == tree.lessons[1].pk


# --- Course completion ----------------------------------------------------------------------
def test_completion_is_recorded_once_and_the_signal_fires_once(learner, course_tree, completions):
    enrolment, _ = enrolment_create(user=learner, course=course_tree.course)
    *first, last = course_tree.lessons
    complete_all(learner, enrolment, first)
    assert enrolment.completed_at is None and completions == []
    with time_machine.travel(T0, tick=False):
        lesson_complete(user=learner, enrolment=enrolment, lesson=last)
    enrolment.refresh_from_db()
    assert enrolment.completed_at == T0
    assert completions == [enrolment.pk]
    # Checking again, completing again: nothing moves, nothing fires.
    with time_machine.travel(T0 + timedelta(days=1), tick=False):
        assert enrolment_completion_check(enrolment=enrolment) is False
        assert lesson_complete(user=learner, enrolment=enrolment, lesson=last) is False
    enrolment.refresh_from_db()
    assert enrolment.completed_at == T0
    assert completions == [enrolment.pk]
    assert ActivityEvent.objects.filter(verb=Verb.COMPLETED, object_type="course").count() == 1


def test_an_empty_course_is_never_complete(learner, completions):
    tree = make_course(modules=1, lessons_per_module=0)
    enrolment, _ = enrolment_create(user=learner, course=tree.course)
    assert enrolment_completion_check(enrolment=enrolment) is False
    assert completions == []


def test_quiz_rule_waits_for_extra_requirements(learner, completions, monkeypatch):
    tree = make_course(
        modules=1, lessons_per_module=2, completion_rule=CompletionRule.LESSONS_AND_QUIZZES
    )
    passed = {"value": False}
    monkeypatch.setattr(progress_services, "EXTRA_REQUIREMENTS", [lambda e: passed["value"]])
    enrolment, _ = enrolment_create(user=learner, course=tree.course)
    complete_all(learner, enrolment, tree.lessons)
    assert enrolment.completed_at is None and completions == []
    passed["value"] = True
    assert enrolment_completion_check(enrolment=enrolment) is True
    assert completions == [enrolment.pk]


def test_lessons_rule_ignores_quiz_requirements(learner, course_tree, completions, monkeypatch):
    monkeypatch.setattr(progress_services, "EXTRA_REQUIREMENTS", [lambda e: False])
    enrolment, _ = enrolment_create(user=learner, course=course_tree.course)
    complete_all(learner, enrolment, course_tree.lessons)
    assert enrolment.completed_at is not None and completions == [enrolment.pk]


def test_completing_the_remaining_live_lessons_completes_when_one_was_unpublished(
    learner, course_tree
):
    enrolment, _ = enrolment_create(user=learner, course=course_tree.course)
    course_tree.lessons[-1].unpublish()
    complete_all(learner, enrolment, course_tree.lessons[:-1])
    assert enrolment.completed_at is not None


# --- Activity log ---------------------------------------------------------------------------
def test_one_activity_row_per_learning_event(learner, course_tree):
    enrolment, _ = enrolment_create(user=learner, course=course_tree.course)
    for lesson in course_tree.lessons:
        lesson_view_record(user=learner, enrolment=enrolment, lesson=lesson)
        lesson_view_record(user=learner, enrolment=enrolment, lesson=lesson)
        lesson_complete(user=learner, enrolment=enrolment, lesson=lesson)
        lesson_complete(user=learner, enrolment=enrolment, lesson=lesson)
    n = len(course_tree.lessons)
    counts = {
        (verb, kind): ActivityEvent.objects.filter(verb=verb, object_type=kind).count()
        for verb, kind in [
            (Verb.REGISTERED, "course"),
            (Verb.EXPERIENCED, "lesson"),
            (Verb.COMPLETED, "lesson"),
            (Verb.COMPLETED, "course"),
            (Verb.EARNED, "certificate"),  # completion issues the course's certificate
        ]
    }
    assert list(counts.values()) == [1, n, n, 1, 1]
    assert ActivityEvent.objects.count() == 2 * n + 3
    assert set(ActivityEvent.objects.values_list("actor", flat=True)) == {learner.pk}
    assert set(ActivityEvent.objects.values_list("course_id", flat=True)) == {course_tree.course.pk}
    assert set(ActivityEvent.objects.values_list("organisation_id", flat=True)) == {
        learner.organisation_id
    }
