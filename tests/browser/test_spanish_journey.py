"""A Spanish-speaking learner: home → course → lesson → quiz, all under /es/, in Spanish."""

import pytest

from learners.models import AttemptStatus, QuizAttempt
from tests.browser.conftest import answer_quiz, assert_accessible, log_in
from tests.factories import PASSWORD, UserFactory, make_course, make_quiz, translate

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def assert_spanish(page, context: str):
    assert page.evaluate("document.documentElement.lang") == "es", context
    assert "/es/" in page.url, context
    assert_accessible(page, context=context)


def test_spanish_learner_reads_a_lesson_and_takes_the_quiz_in_spanish(browser, live_server):
    tree = make_course(modules=1, lessons_per_module=1, title="International action")
    quiz = make_quiz(tree.modules[0], questions=3, title="Check your understanding")
    translate(tree.course, title="Acción internacional", slug="accion-internacional")
    translate(tree.modules[0], title="Módulo uno", slug="modulo-uno")
    translate(tree.lessons[0], title="Por qué actuar en el exterior", slug="por-que")
    translate(quiz, title="Comprueba lo aprendido", slug="comprueba")
    learner = UserFactory(email="lucia@example.org", full_name="Lucía Fernández")

    context = browser.new_context(base_url=live_server.url, locale="es-ES")
    page = context.new_page()
    page.set_default_timeout(10_000)
    try:
        log_in(page, learner.email, PASSWORD)
        page.goto("/")  # an address without a language: the browser's Spanish is chosen
        page.wait_for_url("**/es/**")
        assert_spanish(page, "home")
        page.goto("/es/courses/accion-internacional/")
        page.get_by_role("heading", name="Acción internacional").first.wait_for()
        assert_spanish(page, "course")
        page.locator("form[action*='/enrol/'] button").click()
        page.locator(".outline").get_by_role("link", name="Por qué actuar en el exterior").click()
        page.get_by_role("heading", name="Por qué actuar en el exterior").first.wait_for()
        assert_spanish(page, "lesson")
        page.goto("/es/courses/accion-internacional/modulo-uno/comprueba/")
        page.get_by_role("heading", name="Comprueba lo aprendido").first.wait_for()
        assert_spanish(page, "quiz")
        page.locator("form[action*='/start/'] button").click()
        submit = page.locator("button[name='action'][value='submit']")
        submit.wait_for()
        attempt = QuizAttempt.objects.get(user=learner, status=AttemptStatus.OPEN)
        assert_spanish(page, "taking page")
        answer_quiz(page, attempt, right=True)
        submit.click()
        page.wait_for_url("**/result/")
        assert_spanish(page, "result page")
        attempt.refresh_from_db()
        assert attempt.status != AttemptStatus.OPEN and attempt.passed
    finally:
        context.close()
