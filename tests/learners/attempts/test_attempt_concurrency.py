"""Races that only a real database shows: run with DATABASE_URL pointing at PostgreSQL."""

import threading

import pytest
from django.db import connection

from learners.attempts.services import attempt_start, attempt_submit
from learners.models import ActivityEvent, AttemptStatus, QuizAttempt, Verb
from learners.progress.services import enrolment_create
from tests.factories import correct_form, make_course, make_quiz, wrong_form

# serialized_rollback restores the Wagtail root page that a transactional flush removes.
pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("concurrency tests need PostgreSQL (set DATABASE_URL)")


def _run_together(*targets):
    barrier = threading.Barrier(len(targets))
    errors = []

    def wrap(target):
        def run():
            try:
                barrier.wait()
                target()
            except Exception as error:  # noqa: BLE001 - reported by the assertion below
                errors.append(error)
            finally:
                connection.close()

        return run

    threads = [threading.Thread(target=wrap(t)) for t in targets]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors


def _setup(learner):
    tree = make_course(modules=1, lessons_per_module=1)
    quiz = make_quiz(tree.modules[0], questions=5)
    enrolment_create(user=learner, course=tree.course)
    return quiz


def test_two_simultaneous_submits_give_one_score(learner):
    quiz = _setup(learner)
    attempt = attempt_start(user=learner, quiz=quiz)
    right, wrong = correct_form(attempt.snapshot), wrong_form(attempt.snapshot)
    results = []

    def submit(data):
        return lambda: results.append(
            attempt_submit(
                user=learner, attempt=QuizAttempt.objects.get(pk=attempt.pk), data=data
            ).percent
        )

    _run_together(submit(right), submit(wrong))
    attempt.refresh_from_db()
    assert attempt.status == AttemptStatus.SUBMITTED
    assert results[0] == results[1] == attempt.percent
    outcomes = ActivityEvent.objects.filter(verb__in=[Verb.PASSED, Verb.FAILED])
    assert outcomes.count() == 1


def test_two_simultaneous_starts_give_one_open_attempt(learner):
    quiz = _setup(learner)
    started = []
    _run_together(
        lambda: started.append(attempt_start(user=learner, quiz=quiz).pk),
        lambda: started.append(attempt_start(user=learner, quiz=quiz).pk),
    )
    assert started[0] == started[1]
    assert QuizAttempt.objects.filter(quiz=quiz, status=AttemptStatus.OPEN).count() == 1
    assert QuizAttempt.objects.filter(quiz=quiz).count() == 1
