"""Simultaneous requests leave exactly one row (PostgreSQL: real row locks and constraints)."""

import threading

import pytest
from django.db import connection

from learners.models import ActivityEvent, Enrolment, LessonProgress, Verb
from learners.progress.services import enrolment_create, lesson_complete
from tests.factories import UserFactory, ensure_wagtail_root, make_course

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture(autouse=True)
def _postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("concurrency tests need PostgreSQL (set DATABASE_URL)")
    ensure_wagtail_root()  # an earlier transactional test may have flushed it


def run_together(*calls):
    """Run each call in its own thread, released at the same moment; return results/errors."""
    barrier = threading.Barrier(len(calls))
    results: list = [None] * len(calls)

    def worker(index, call):
        from django.db import connection as thread_connection

        try:
            # Connect before the barrier so that neither thread gets a head start.
            thread_connection.ensure_connection()
            barrier.wait(timeout=10)
            results[index] = call()
        except Exception as error:  # noqa: BLE001 - reported to the test below
            results[index] = error
        finally:
            thread_connection.close()

    threads = [threading.Thread(target=worker, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    errors = [r for r in results if isinstance(r, Exception)]
    assert not errors, errors
    return results


def test_two_simultaneous_enrolments_leave_one_row():
    tree = make_course(modules=1, lessons_per_module=1)
    for _ in range(5):  # several rounds: one lucky ordering proves little
        user = UserFactory()
        results = run_together(
            lambda user=user: enrolment_create(user=user, course=tree.course),
            lambda user=user: enrolment_create(user=user, course=tree.course),
        )
        assert Enrolment.objects.filter(user=user).count() == 1
        assert sorted(created for _, created in results) == [False, True]
        assert len({enrolment.pk for enrolment, _ in results}) == 1
        assert ActivityEvent.objects.filter(actor=user, verb=Verb.REGISTERED).count() == 1


def test_two_simultaneous_completions_of_a_lesson_leave_one_row():
    tree = make_course(modules=1, lessons_per_module=3)
    lesson = tree.lessons[0]
    for _ in range(5):
        user = UserFactory()
        enrolment, _ = enrolment_create(user=user, course=tree.course)
        results = run_together(
            lambda u=user, e=enrolment: lesson_complete(user=u, enrolment=e, lesson=lesson),
            lambda u=user, e=enrolment: lesson_complete(user=u, enrolment=e, lesson=lesson),
        )
        assert sorted(results) == [False, True]
        assert LessonProgress.objects.filter(enrolment=enrolment).count() == 1
        events = ActivityEvent.objects.filter(actor=user, verb=Verb.COMPLETED)
        assert events.count() == 1


def test_the_last_two_lessons_completed_at_once_complete_the_course_once():
    tree = make_course(modules=1, lessons_per_module=2)
    first, second = tree.lessons
    for _ in range(5):
        user = UserFactory()
        enrolment, _ = enrolment_create(user=user, course=tree.course)
        run_together(
            lambda u=user, e=enrolment: lesson_complete(user=u, enrolment=e, lesson=first),
            lambda u=user, e=enrolment: lesson_complete(user=u, enrolment=e, lesson=second),
        )
        enrolment.refresh_from_db()
        assert enrolment.completed_at is not None
        course_events = ActivityEvent.objects.filter(
            actor=user, verb=Verb.COMPLETED, object_type="course"
        )
        assert course_events.count() == 1
