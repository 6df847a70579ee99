from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from django.utils import timezone

from courses.models import CompletionRule
from learners.attempts.selectors import (
    attempt_review,
    final_assessment_score,
    quiz_status,
    required_quizzes_passed,
)
from learners.attempts.services import (
    AttemptInvalidInput,
    AttemptRefused,
    attempt_save,
    attempt_start,
    attempt_submit,
)
from learners.models import ActivityEvent, AttemptStatus, QuizAttempt, Verb
from learners.progress.services import lesson_complete
from tests.factories import correct_form, make_quiz, wrong_form

pytestmark = pytest.mark.django_db


def test_start_snapshots_questions_and_resumes(learner, module_quiz, enrolment):
    attempt = attempt_start(user=learner, quiz=module_quiz)
    assert attempt.status == AttemptStatus.OPEN and attempt.number == 1
    assert len(attempt.snapshot) == 5
    assert {q["type"] for q in attempt.snapshot} == {
        "single_choice",
        "multiple_choice",
        "true_false",
        "short_text",
        "matching",
    }
    assert attempt_start(user=learner, quiz=module_quiz).pk == attempt.pk
    assert QuizAttempt.objects.count() == 1
    assert ActivityEvent.objects.filter(verb=Verb.ATTEMPTED).count() == 1


def test_start_refused_without_enrolment(learner, module_quiz):
    with pytest.raises(AttemptRefused):
        attempt_start(user=learner, quiz=module_quiz)


def test_save_then_submit_scores_on_server(learner, module_quiz, enrolment):
    attempt = attempt_start(user=learner, quiz=module_quiz)
    attempt = attempt_save(user=learner, attempt=attempt, data=correct_form(attempt.snapshot))
    assert attempt.is_open and attempt.answers
    attempt = attempt_submit(user=learner, attempt=attempt)  # scores what was saved
    assert attempt.status == AttemptStatus.SUBMITTED
    assert attempt.percent == Decimal("100.00") and attempt.passed
    assert ActivityEvent.objects.filter(verb=Verb.PASSED, object_id=module_quiz.pk).count() == 1


def test_double_submit_returns_same_result(learner, module_quiz, enrolment):
    attempt = attempt_start(user=learner, quiz=module_quiz)
    first = attempt_submit(user=learner, attempt=attempt, data=wrong_form(attempt.snapshot))
    second = attempt_submit(user=learner, attempt=attempt, data=correct_form(attempt.snapshot))
    assert second.percent == first.percent == Decimal("0.00")
    assert second.submitted_at == first.submitted_at
    assert ActivityEvent.objects.filter(verb__in=[Verb.PASSED, Verb.FAILED]).count() == 1


def test_attempts_allowed_enforced(learner, quiz_course, enrolment):
    quiz = make_quiz(quiz_course.modules[0], attempts_allowed=2)
    for _ in range(2):
        attempt = attempt_start(user=learner, quiz=quiz)
        attempt_submit(user=learner, attempt=attempt, data={})
    with pytest.raises(AttemptRefused):
        attempt_start(user=learner, quiz=quiz)
    status = quiz_status(learner, enrolment, quiz)
    assert status.attempts_left == 0 and not status.can_start


def test_deadline_enforced_with_grace(learner, quiz_course, enrolment):
    quiz = make_quiz(quiz_course.modules[0], time_limit_minutes=10)
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        attempt = attempt_start(user=learner, quiz=quiz)
    assert attempt.deadline == start + timedelta(minutes=10)
    with time_machine.travel(start + timedelta(minutes=5), tick=False):
        attempt = attempt_save(user=learner, attempt=attempt, data=correct_form(attempt.snapshot))
    # Within the grace period a submit still counts.
    with time_machine.travel(start + timedelta(minutes=10, seconds=3), tick=False):
        late_ok = attempt_save(user=learner, attempt=attempt, data=wrong_form(attempt.snapshot))
        assert late_ok.is_open
        attempt_save(user=learner, attempt=attempt, data=correct_form(attempt.snapshot))
    with time_machine.travel(start + timedelta(minutes=11), tick=False):
        closed = attempt_submit(user=learner, attempt=attempt, data=wrong_form(attempt.snapshot))
    assert closed.status == AttemptStatus.EXPIRED
    assert closed.percent == Decimal("100.00")  # the answers saved in time, not the late ones


def test_save_after_deadline_is_refused_and_closes(learner, quiz_course, enrolment):
    quiz = make_quiz(quiz_course.modules[0], time_limit_minutes=1)
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        attempt = attempt_start(user=learner, quiz=quiz)
    with time_machine.travel(start + timedelta(minutes=2), tick=False):
        closed = attempt_save(user=learner, attempt=attempt, data=correct_form(attempt.snapshot))
    assert closed.status == AttemptStatus.EXPIRED and closed.answers == {}
    assert closed.percent == Decimal("0.00")


def test_tampered_input_is_not_scored(learner, module_quiz, enrolment):
    attempt = attempt_start(user=learner, quiz=module_quiz)
    with pytest.raises(AttemptInvalidInput):
        attempt_submit(user=learner, attempt=attempt, data={"q-nonexistent": ["x"]})
    attempt.refresh_from_db()
    assert attempt.is_open and attempt.score is None


def test_editing_quiz_leaves_past_attempts_unchanged(learner, module_quiz, enrolment):
    attempt = attempt_start(user=learner, quiz=module_quiz)
    attempt = attempt_submit(user=learner, attempt=attempt, data=correct_form(attempt.snapshot))
    review_before = attempt_review(attempt)
    # A trainer rewrites every question and flips the correct answers.
    stream = module_quiz.questions.raw_data
    for block in stream:
        block["value"]["text"] = "Rewritten"
        for choice in block["value"].get("choices", []):
            value = choice.get("value", choice)
            value["correct"] = not value["correct"]
    module_quiz.questions = list(stream)
    module_quiz.save_revision().publish()
    from courses.models import QuizPage
    from courses.selectors.quizzes import quiz_questions_plain

    edited = quiz_questions_plain(QuizPage.objects.get(pk=module_quiz.pk))
    assert {q["text"] for q in edited} == {"Rewritten"}
    assert not any(c["correct"] for c in edited[0]["choices"][:1])
    attempt.refresh_from_db()
    assert attempt.percent == Decimal("100.00")
    assert attempt_review(attempt) == review_before
    assert all(item.text != "Rewritten" for item in review_before)


def test_passing_required_quiz_completes_course(learner, quiz_course, enrolment):
    course = quiz_course.course
    course.completion_rule = CompletionRule.LESSONS_AND_QUIZZES
    course.save_revision().publish()
    final = make_quiz(course, required_for_completion=True, pass_mark=70)
    for lesson in quiz_course.lessons:
        lesson_complete(user=learner, enrolment=enrolment, lesson=lesson)
    enrolment.refresh_from_db()
    assert enrolment.completed_at is None  # the final assessment is still to pass
    assert not required_quizzes_passed(enrolment)
    assert final_assessment_score(enrolment) is None
    attempt = attempt_start(user=learner, quiz=final)
    attempt_submit(user=learner, attempt=attempt, data=wrong_form(attempt.snapshot))
    enrolment.refresh_from_db()
    assert enrolment.completed_at is None
    attempt = attempt_start(user=learner, quiz=final)
    attempt_submit(user=learner, attempt=attempt, data=correct_form(attempt.snapshot))
    enrolment.refresh_from_db()
    assert enrolment.completed_at is not None
    assert final_assessment_score(enrolment) == Decimal("100.00")


def test_draw_from_pool(learner, quiz_course, enrolment):
    quiz = make_quiz(quiz_course.course, questions=20, draw_count=15, shuffle_questions=True)
    attempt = attempt_start(user=learner, quiz=quiz)
    assert len(attempt.snapshot) == 15
    assert len({q["id"] for q in attempt.snapshot}) == 15


def test_open_attempt_from_earlier_cycle_is_closed_not_resumed(learner, module_quiz, enrolment):
    from learners.progress.services import enrolment_renew

    old = attempt_start(user=learner, quiz=module_quiz)
    enrolment.completed_at = timezone.now()
    enrolment.save(update_fields=["completed_at"])
    course = module_quiz.get_parent().get_parent()
    renewed = enrolment_renew(user=learner, course=course)
    fresh = attempt_start(user=learner, quiz=module_quiz)
    old.refresh_from_db()
    assert old.status == AttemptStatus.EXPIRED
    assert fresh.pk != old.pk and fresh.enrolment_id == renewed.pk and fresh.number == 1
