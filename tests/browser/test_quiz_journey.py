"""The demo learner takes a module quiz, fails, retries, passes and sees the course progress."""

import pytest

from courses.models import CompletionRule
from learners.models import AttemptStatus, QuizAttempt
from learners.progress.services import enrolment_create, lesson_complete
from tests.browser.conftest import answer_quiz, assert_accessible, log_in
from tests.factories import PASSWORD, UserFactory, make_course, make_quiz

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_learner_fails_retries_passes_and_completes(page):
    tree = make_course(
        modules=1, lessons_per_module=2, completion_rule=CompletionRule.LESSONS_AND_QUIZZES
    )
    make_quiz(
        tree.modules[0], questions=5, title="Check your understanding", required_for_completion=True
    )
    learner = UserFactory(email="learner@example.org", full_name="Lucía Learner")
    enrolment, _ = enrolment_create(user=learner, course=tree.course)
    for lesson in tree.lessons:
        lesson_complete(user=learner, enrolment=enrolment, lesson=lesson)

    log_in(page, learner.email, PASSWORD)
    page.goto(tree.course.url)
    assert page.get_by_text("Completed on").count() == 0
    assert page.get_by_text("To complete the course, also pass:").count() == 1
    page.locator(".outline").get_by_role("link", name="Check your understanding").click()
    page.get_by_role("heading", name="Check your understanding").wait_for()
    assert_accessible(page, context="quiz page")

    page.get_by_role("button", name="Start the quiz").click()
    page.get_by_role("button", name="Submit answers").wait_for()
    assert_accessible(page, context="taking page")
    attempt = QuizAttempt.objects.get(user=learner, status=AttemptStatus.OPEN)
    answer_quiz(page, attempt, right=False)
    page.get_by_role("button", name="Submit answers").click()
    page.get_by_text("Not passed yet").wait_for()
    assert_accessible(page, context="result page (failed)")

    page.get_by_role("link", name="Back to the quiz").click()
    page.get_by_role("button", name="Try again").click()
    page.get_by_role("button", name="Submit answers").wait_for()
    attempt = QuizAttempt.objects.get(user=learner, status=AttemptStatus.OPEN)
    assert attempt.number == 2
    answer_quiz(page, attempt, right=True)
    page.get_by_role("button", name="Save and continue later").click()
    page.get_by_text("Your answers are saved").wait_for()
    page.get_by_role("button", name="Submit answers").click()
    page.get_by_text("Passed. The pass mark").wait_for()
    assert_accessible(page, context="result page (passed)")

    page.goto(tree.course.url)
    page.get_by_text("Completed on").wait_for()
    assert page.locator(".quiz-outline-status").get_by_text("Passed").count() == 1
    assert_accessible(page, context="course page")
