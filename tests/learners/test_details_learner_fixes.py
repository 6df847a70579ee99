"""Issue 14, learner side: the step after a module's last lesson, the certificate link after the
final assessment, the warning on a blank submission, one score format, plural forms."""

from decimal import Decimal

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation

from courses.models import CompletionRule
from courses.templatetags.formats import hours_text, score_text
from learners.models import AttemptStatus, QuizAttempt
from learners.progress.services import enrolment_create
from tests.factories import correct_form, make_course, make_quiz

pytestmark = pytest.mark.django_db


def _continue_target(client, lesson) -> str | None:
    html = client.get(lesson.url).content.decode()
    marker = 'name="next" value="'
    if marker not in html:
        return None
    return html.split(marker, 1)[1].split('"', 1)[0]


def test_continue_after_a_module_last_lesson_goes_to_its_quiz(learner_client, learner):
    tree = make_course(modules=2, lessons_per_module=2)
    quiz = make_quiz(tree.modules[0], questions=2)
    enrolment_create(user=learner, course=tree.course)
    first, last_of_module = tree.lessons[0], tree.lessons[1]
    assert _continue_target(learner_client, first) == last_of_module.url
    assert _continue_target(learner_client, last_of_module) == quiz.url
    # A module without a quiz still leads to the next module's first lesson.
    assert _continue_target(learner_client, tree.lessons[2]) == tree.lessons[3].url


def test_continue_after_the_course_last_lesson_goes_to_the_final_assessment(
    learner_client, learner
):
    tree = make_course(modules=1, lessons_per_module=1)
    final = make_quiz(tree.course, questions=2)
    enrolment_create(user=learner, course=tree.course)
    assert _continue_target(learner_client, tree.lessons[0]) == final.url
    response = learner_client.post(
        reverse("learn_complete_lesson", args=[tree.lessons[0].pk]), {"next": final.url}
    )
    assert response["Location"] == final.url


def _start(client, quiz) -> QuizAttempt:
    client.post(reverse("learn_quiz_start", args=[quiz.pk]))
    return QuizAttempt.objects.get(quiz=quiz, status=AttemptStatus.OPEN)


def _post(client, attempt, data, action="submit"):
    payload = {"attempt": str(attempt.public_id), "action": action, **data}
    return client.post(reverse("learn_attempt", args=[attempt.public_id]), payload)


def test_passing_the_final_assessment_shows_the_certificate_link(learner_client, learner):
    tree = make_course(
        modules=1, lessons_per_module=1, completion_rule=CompletionRule.LESSONS_AND_QUIZZES
    )
    final = make_quiz(tree.course, questions=3, pass_mark=50, required_for_completion=True)
    enrolment, _ = enrolment_create(user=learner, course=tree.course)
    learner_client.post(reverse("learn_complete_lesson", args=[tree.lessons[0].pk]))
    attempt = _start(learner_client, final)
    response = _post(learner_client, attempt, correct_form(attempt.snapshot))
    result = learner_client.get(response["Location"]).content.decode()
    assert "Your certificate is ready." in result
    certificate = learner.certificates.get()
    assert certificate.get_pdf_url() in result
    assert reverse("learn_dashboard") in result


def test_a_failed_attempt_has_no_certificate_link(learner_client, learner):
    tree = make_course(modules=1, lessons_per_module=1)
    final = make_quiz(tree.course, questions=3, pass_mark=50)
    enrolment_create(user=learner, course=tree.course)
    attempt = _start(learner_client, final)
    response = _post(learner_client, attempt, {}, action="submit_empty")
    result = learner_client.get(response["Location"]).content.decode()
    assert "Your certificate is ready." not in result


def test_a_blank_submission_asks_for_confirmation_first(learner_client, learner):
    tree = make_course(modules=1, lessons_per_module=1)
    quiz = make_quiz(tree.modules[0], questions=3)
    enrolment_create(user=learner, course=tree.course)
    attempt = _start(learner_client, quiz)
    response = _post(learner_client, attempt, {"q-unused": [""]})
    assert response.status_code == 200
    html = response.content.decode()
    assert "You have not answered any question." in html
    assert 'value="submit_empty"' in html
    attempt.refresh_from_db()
    assert attempt.status == AttemptStatus.OPEN  # nothing was scored

    response = _post(learner_client, attempt, {}, action="submit_empty")
    assert response.status_code == 302
    attempt.refresh_from_db()
    assert attempt.status == AttemptStatus.SUBMITTED and attempt.percent == 0


def test_an_answered_submission_needs_no_confirmation(learner_client, learner):
    tree = make_course(modules=1, lessons_per_module=1)
    quiz = make_quiz(tree.modules[0], questions=3)
    enrolment_create(user=learner, course=tree.course)
    attempt = _start(learner_client, quiz)
    response = _post(learner_client, attempt, correct_form(attempt.snapshot))
    assert response.status_code == 302
    attempt.refresh_from_db()
    assert not attempt.is_open


def test_take_page_timer_and_multiple_choice_hint_read_once(learner_client, learner):
    tree = make_course(modules=1, lessons_per_module=1)
    quiz = make_quiz(tree.modules[0], questions=2, time_limit_minutes=20)
    enrolment_create(user=learner, course=tree.course)
    attempt = _start(learner_client, quiz)
    html = learner_client.get(reverse("learn_attempt", args=[attempt.public_id])).content.decode()
    assert ".." not in html.split('id="quiz-timer"', 1)[1].split("</p>", 1)[0]
    assert html.count("Select all that apply") == 1  # question 1 is the multiple-choice one


@pytest.mark.parametrize(
    ("language", "value", "expected"),
    [
        ("en", Decimal("89.47"), "89.5\u00a0%"),
        ("es", Decimal("89.47"), "89,5\u00a0%"),
        ("en", Decimal("100"), "100.0\u00a0%"),
        ("es", 0, "0,0\u00a0%"),
    ],
)
def test_one_localised_score_format(language, value, expected):
    with translation.override(language):
        assert score_text(value) == expected
        rendered = Template("{% load formats %}{{ v|score }}").render(Context({"v": value}))
        assert rendered == expected
    assert score_text(None) == ""


def test_score_format_is_used_on_the_result_and_the_certificate_list(learner_client, learner):
    tree = make_course(modules=1, lessons_per_module=1)
    quiz = make_quiz(tree.modules[0], questions=3)
    enrolment_create(user=learner, course=tree.course)
    attempt = _start(learner_client, quiz)
    response = _post(learner_client, attempt, correct_form(attempt.snapshot))
    html = learner_client.get(response["Location"]).content.decode()
    assert "100.0\u00a0%" in html


@pytest.mark.parametrize(
    ("language", "value", "expected"),
    [
        ("en", Decimal("1"), "1 hour"),
        ("en", Decimal("1.0"), "1 hour"),
        ("en", Decimal("2"), "2 hours"),
        ("en", Decimal("1.5"), "1.5 hours"),
        ("es", Decimal("1"), "1 hora"),
        ("es", Decimal("2.5"), "2,5 horas"),
    ],
)
def test_hours_use_plural_forms(language, value, expected):
    with translation.override(language):
        assert hours_text(value) == expected


def test_catalogue_says_one_hour(client):
    tree = make_course(modules=1, lessons_per_module=1, estimated_hours=Decimal("1"))
    html = client.get(tree.course.get_parent().url).content.decode()
    assert "1 hour" in html and "1 hours" not in html
    html = client.get(tree.course.url).content.decode()
    assert "1 hour" in html and "1 hours" not in html
