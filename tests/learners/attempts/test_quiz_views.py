import re
from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from learners.attempts.services import attempt_start, attempt_submit
from learners.models import AttemptStatus, QuizAttempt
from learners.progress.services import enrolment_create
from tests.factories import UserFactory, correct_form, make_quiz, wrong_form

pytestmark = pytest.mark.django_db


def _start(client, quiz):
    response = client.post(reverse("learn_quiz_start", args=[quiz.pk]))
    assert response.status_code == 302
    return QuizAttempt.objects.get(quiz=quiz, status=AttemptStatus.OPEN), response


def _post(client, attempt, data, action="submit"):
    payload = {"attempt": str(attempt.public_id), "action": action, **data}
    return client.post(reverse("learn_attempt", args=[attempt.public_id]), payload)


# --- The quiz page and the gate ------------------------------------------------------------------
def test_quiz_page_requires_login(client, module_quiz):
    response = client.get(module_quiz.url)
    assert response.status_code == 302 and "/en/accounts/login/" in response["Location"]


def test_quiz_page_requires_enrolment(learner_client, module_quiz):
    response = learner_client.get(module_quiz.url)
    assert response.status_code == 403
    assert b"Enrol" in response.content


def test_quiz_page_shows_rules_and_start_button(learner_client, module_quiz, enrolment):
    response = learner_client.get(module_quiz.url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Start the quiz" in html and "You need 60% to pass" in html
    assert "EXPLANATION-" not in html and "FEEDBACK-" not in html


def test_start_resume_save_submit_result(learner_client, learner, module_quiz, enrolment):
    attempt, response = _start(learner_client, module_quiz)
    assert response["Location"] == reverse("learn_attempt", args=[attempt.public_id])
    # Starting again resumes the same attempt.
    again, _ = _start(learner_client, module_quiz)
    assert again.pk == attempt.pk
    page = learner_client.get(module_quiz.url).content.decode()
    assert "Resume your attempt" in page

    response = _post(learner_client, attempt, correct_form(attempt.snapshot), action="save")
    assert response.status_code == 302
    attempt.refresh_from_db()
    assert attempt.is_open and attempt.answers
    taking = learner_client.get(reverse("learn_attempt", args=[attempt.public_id]))
    assert taking.status_code == 200
    assert taking.content.decode().count(" checked") >= 3  # saved answers come back

    response = _post(learner_client, attempt, correct_form(attempt.snapshot))
    result_url = reverse("learn_attempt_result", args=[attempt.public_id])
    assert response["Location"] == result_url
    result = learner_client.get(result_url)
    assert result.status_code == 200
    html = result.content.decode()
    assert "100.0\u00a0%" in html and "Passed" in html
    assert "EXPLANATION-0" in html  # full review policy shows explanations afterwards
    # The taking page now sends the learner to the result.
    assert (
        learner_client.get(reverse("learn_attempt", args=[attempt.public_id]))["Location"]
        == result_url
    )


def test_double_submit_changes_nothing(learner_client, module_quiz, enrolment):
    attempt, _ = _start(learner_client, module_quiz)
    _post(learner_client, attempt, wrong_form(attempt.snapshot))
    attempt.refresh_from_db()
    first = (attempt.percent, attempt.submitted_at)
    response = _post(learner_client, attempt, correct_form(attempt.snapshot))
    assert response.status_code == 302
    attempt.refresh_from_db()
    assert (attempt.percent, attempt.submitted_at) == first


def test_attempts_exhausted(learner_client, learner, quiz_course, enrolment):
    quiz = make_quiz(quiz_course.modules[0], attempts_allowed=1)
    attempt, _ = _start(learner_client, quiz)
    _post(learner_client, attempt, {}, action="submit_empty")
    response = learner_client.post(reverse("learn_quiz_start", args=[quiz.pk]), follow=True)
    assert "used all the attempts" in response.content.decode()
    assert QuizAttempt.objects.filter(quiz=quiz).count() == 1
    assert "You have used all your attempts" in learner_client.get(quiz.url).content.decode()


def test_deadline_on_requests(learner_client, learner, quiz_course, enrolment):
    quiz = make_quiz(quiz_course.modules[0], time_limit_minutes=5)
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        attempt, _ = _start(learner_client, quiz)
        taking = learner_client.get(reverse("learn_attempt", args=[attempt.public_id]))
        assert 'id="quiz-timer"' in taking.content.decode()
    with time_machine.travel(start + timedelta(minutes=6), tick=False):
        response = _post(learner_client, attempt, correct_form(attempt.snapshot))
    assert response["Location"] == reverse("learn_attempt_result", args=[attempt.public_id])
    attempt.refresh_from_db()
    assert attempt.status == AttemptStatus.EXPIRED and attempt.percent == 0


def test_late_visit_closes_attempt(learner_client, quiz_course, enrolment):
    quiz = make_quiz(quiz_course.modules[0], time_limit_minutes=5)
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        attempt, _ = _start(learner_client, quiz)
    with time_machine.travel(start + timedelta(minutes=10), tick=False):
        response = learner_client.get(reverse("learn_attempt", args=[attempt.public_id]))
    assert response.status_code == 302
    attempt.refresh_from_db()
    assert attempt.status == AttemptStatus.EXPIRED


@pytest.mark.parametrize(
    "tamper",
    ["foreign_choice", "unknown_question", "missing_field", "oversized", "two_radios"],
)
def test_tampered_input_gets_message_and_is_not_scored(
    learner_client, learner, quiz_course, module_quiz, enrolment, tamper
):
    other = make_quiz(quiz_course.modules[1])
    other_attempt = attempt_start(user=learner, quiz=other)
    attempt, _ = _start(learner_client, module_quiz)
    snapshot = attempt.snapshot
    single = next(q for q in snapshot if q["type"] == "single_choice")
    short = next(q for q in snapshot if q["type"] == "short_text")
    payload = {"attempt": str(attempt.public_id), "action": "submit"}
    if tamper == "foreign_choice":
        foreign = next(q for q in other_attempt.snapshot if q["type"] == "single_choice")
        payload[f"q-{single['id']}"] = foreign["choices"][0]["id"]
    elif tamper == "unknown_question":
        payload["q-00000000-not-a-question"] = "x"
    elif tamper == "missing_field":
        del payload["attempt"]
    elif tamper == "oversized":
        payload[f"q-{short['id']}"] = "x" * 5000
    elif tamper == "two_radios":
        payload[f"q-{single['id']}"] = [c["id"] for c in single["choices"][:2]]
    response = learner_client.post(reverse("learn_attempt", args=[attempt.public_id]), payload)
    assert response.status_code == 400
    assert "Nothing was saved" in response.content.decode() or "incomplete" in (
        response.content.decode()
    )
    attempt.refresh_from_db()
    assert attempt.is_open and attempt.score is None and attempt.answers == {}


def test_other_learners_attempt_is_404(client, other_learner, learner, module_quiz, enrolment):
    attempt = attempt_start(user=learner, quiz=module_quiz)
    enrolment_create(user=other_learner, course=module_quiz.get_parent().get_parent())
    client.force_login(other_learner)
    for name in ("learn_attempt", "learn_attempt_result"):
        assert client.get(reverse(name, args=[attempt.public_id])).status_code == 404
    response = _post(client, attempt, correct_form(attempt.snapshot))
    assert response.status_code == 404
    attempt.refresh_from_db()
    assert attempt.is_open


def test_anonymous_cannot_start(client, module_quiz):
    response = client.post(reverse("learn_quiz_start", args=[module_quiz.pk]))
    assert response.status_code == 302 and "/en/accounts/login/" in response["Location"]
    assert not QuizAttempt.objects.exists()


def test_start_unknown_quiz_is_404(learner_client):
    assert learner_client.post(reverse("learn_quiz_start", args=[999999])).status_code == 404


def test_pre_submission_html_leaks_no_answer(learner_client, module_quiz, enrolment):
    attempt, _ = _start(learner_client, module_quiz)
    html = learner_client.get(reverse("learn_attempt", args=[attempt.public_id])).content.decode()
    assert "EXPLANATION-" not in html and "FEEDBACK-" not in html
    assert "Accepted Réponse" not in html and "ALTERNATIVE-" not in html
    assert not re.search(r"correct|score|data-answer", html, re.IGNORECASE)
    for q in attempt.snapshot:
        if q["type"] == "matching":
            # Answer options are listed in one shuffled list, the same for every prompt.
            for pair in q["pairs"]:
                select = re.search(
                    rf'<select[^>]*name="q-{q["id"]}-{pair["id"]}"[^>]*>(.*?)</select>', html, re.S
                ).group(1)
                assert select.count("<option") == len(q["options"]) + 1


def test_result_respects_review_policy(learner_client, learner, quiz_course, enrolment):
    for policy, shows_rows, shows_explanation in [
        ("score_only", False, False),
        ("score_and_correctness", True, False),
        ("full_review", True, True),
    ]:
        quiz = make_quiz(quiz_course.modules[0], review_policy=policy)
        attempt = attempt_start(user=learner, quiz=quiz)
        attempt_submit(user=learner, attempt=attempt, data=wrong_form(attempt.snapshot))
        html = learner_client.get(
            reverse("learn_attempt_result", args=[attempt.public_id])
        ).content.decode()
        assert "Not passed yet" in html
        assert ("Not correct" in html) is shows_rows
        assert ("EXPLANATION-0" in html) is shows_explanation
        assert ("FEEDBACK-" in html) is shows_explanation


def test_course_page_and_dashboard_show_best_score(learner_client, learner, module_quiz, enrolment):
    quiz_course_page = module_quiz.get_parent().get_parent()
    attempt = attempt_start(user=learner, quiz=module_quiz)
    attempt_submit(user=learner, attempt=attempt, data=correct_form(attempt.snapshot))
    course_html = learner_client.get(quiz_course_page.url).content.decode()
    assert module_quiz.title in course_html and "best 100.0\u00a0%" in course_html
    dashboard = learner_client.get(reverse("learn_dashboard")).content.decode()
    assert module_quiz.title in dashboard and "best score 100.0\u00a0%" in dashboard


def test_final_assessment_in_outline_and_attempts_left(learner_client, quiz_course, enrolment):
    make_quiz(quiz_course.course, attempts_allowed=3, title="The final assessment")
    html = learner_client.get(quiz_course.course.url).content.decode()
    assert "Final assessment" in html and "The final assessment" in html
    assert "3 attempts left" in html


# --- Query budgets -----------------------------------------------------------------------------
def _count(fn) -> int:
    with CaptureQueriesContext(connection) as ctx:
        fn()
    return len(ctx.captured_queries)


def test_quiz_pages_and_submission_cost_constant_queries(learner_client, learner, quiz_course):
    enrolment_create(user=learner, course=quiz_course.course)
    counts = {}
    for size in (5, 50):
        quiz = make_quiz(quiz_course.modules[0], questions=size)
        attempt, _ = _start(learner_client, quiz)
        take_url = reverse("learn_attempt", args=[attempt.public_id])
        data = correct_form(attempt.snapshot)
        learner_client.get(quiz.url)  # warm caches (site root, content types)
        counts[size] = (
            _count(lambda quiz=quiz: learner_client.get(quiz.url)),
            _count(lambda url=take_url: learner_client.get(url)),
            _count(lambda attempt=attempt, data=data: _post(learner_client, attempt, data)),
        )
        attempt.refresh_from_db()
        assert attempt.percent == 100
    assert counts[5] == counts[50], counts


def test_course_page_queries_do_not_grow_with_quizzes(
    learner_client, learner, quiz_course, django_assert_max_num_queries
):
    enrolment_create(user=learner, course=quiz_course.course)
    make_quiz(quiz_course.modules[0])
    learner_client.get(quiz_course.course.url)
    with CaptureQueriesContext(connection) as one:
        learner_client.get(quiz_course.course.url)
    budget = len(one.captured_queries)  # read now: the next request clears the query log
    for module in quiz_course.modules:
        make_quiz(module)
    make_quiz(quiz_course.course)
    learner_client.get(quiz_course.course.url)  # the changed course's outline is cached again
    with django_assert_max_num_queries(budget):
        learner_client.get(quiz_course.course.url)


# --- Trainer reports ---------------------------------------------------------------------------
@pytest.fixture
def trainer(db):
    user = UserFactory(full_name="Tess Trainer", is_staff=True)
    group, _ = Group.objects.get_or_create(name="Trainers")
    group.permissions.add(
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin"),
        Permission.objects.get(codename="view_quiz_reports"),
    )
    user.groups.add(group)
    return user


def test_reports_for_trainers_only(client, learner, trainer, module_quiz, enrolment):
    for _ in range(3):
        attempt = attempt_start(user=learner, quiz=module_quiz)
        attempt_submit(user=learner, attempt=attempt, data=wrong_form(attempt.snapshot))
    attempt = attempt_start(user=learner, quiz=module_quiz)
    attempt_submit(user=learner, attempt=attempt, data=correct_form(attempt.snapshot))
    urls = [
        reverse("quiz_reports"),
        reverse("quiz_report", args=[module_quiz.pk]),
        reverse("quiz_report_csv", args=[module_quiz.pk]),
    ]
    client.force_login(learner)
    for url in urls:
        assert client.get(url).status_code in (302, 403)
    staff_without_permission = UserFactory(is_staff=True)
    staff_without_permission.user_permissions.add(
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    )
    client.force_login(staff_without_permission)
    for url in urls:
        assert client.get(url).status_code in (302, 403)
    client.force_login(trainer)
    index = client.get(urls[0])
    assert index.status_code == 200 and module_quiz.title in index.content.decode()
    detail = client.get(urls[1]).content.decode()
    assert "25%" in detail  # pass rate: one of four attempts
    assert learner.full_name not in detail and learner.email not in detail
    csv_text = client.get(urls[2]).content.decode()
    assert csv_text.splitlines()[1].startswith("4,0.250")
    assert "Question 0" in csv_text and learner.full_name not in csv_text
    assert client.get(reverse("quiz_report", args=[999999])).status_code == 404


def test_last_lesson_of_module_points_to_its_quiz(
    learner_client, quiz_course, module_quiz, enrolment
):
    html = learner_client.get(quiz_course.lessons[0].url).content.decode()
    assert f'href="{module_quiz.url}"' in html and "Take the quiz" in html
    other = learner_client.get(quiz_course.lessons[1].url).content.decode()
    assert "Take the quiz" not in other


def test_quiz_gate_says_quiz(learner_client, module_quiz):
    html = learner_client.get(module_quiz.url).content.decode()
    assert "This quiz is part of" in html


def test_dashboard_quiz_summaries_cost_constant_queries(learner_client, learner):
    from tests.factories import make_course

    def add_course():
        tree = make_course(modules=1, lessons_per_module=1)
        quiz = make_quiz(tree.modules[0])
        enrolment_create(user=learner, course=tree.course)
        attempt = attempt_start(user=learner, quiz=quiz)
        attempt_submit(user=learner, attempt=attempt, data=correct_form(attempt.snapshot))

    add_course()
    learner_client.get(reverse("learn_dashboard"))
    one = _count(lambda: learner_client.get(reverse("learn_dashboard")))
    add_course()
    add_course()
    learner_client.get(reverse("learn_dashboard"))  # new courses' outlines cached on first sight
    three = _count(lambda: learner_client.get(reverse("learn_dashboard")))
    assert one == three
    assert learner_client.get(reverse("learn_dashboard")).content.decode().count("best score") == 3


def test_course_page_lists_required_quizzes(learner_client, quiz_course, enrolment):
    course = quiz_course.course
    course.completion_rule = "lessons_and_quizzes"
    course.save_revision().publish()
    make_quiz(course, title="Required final", required_for_completion=True)
    html = learner_client.get(course.url).content.decode()
    assert "To complete the course, also pass:" in html and "Required final" in html
