"""End to end against a real LTI 1.3 platform (lti1p3platform on loopback): launch, re-launch,
deep linking, AGS scores received by the platform, and refused launches."""

import base64
import json

import pytest
import requests
from django.contrib.auth import get_user_model
from django.urls import reverse

from learners.attempts.models import QuizAttempt
from learners.lti.models import LtiAccount, LtiGradeLink
from learners.progress.models import Enrolment, EnrolmentSource
from tests.factories import correct_form, make_course, make_quiz, wrong_form
from tests.learners.lti.conftest import authenticate, launch, register, relative
from tests.learners.lti.platform import LEARNER, Platform

pytestmark = pytest.mark.django_db


def test_launch_creates_account_enrols_and_lands_on_the_lesson(client, platform, registration):
    tree = make_course()
    lesson = tree.lessons[1]
    response, _form = launch(
        client, platform, user_id="u-42", page_id=lesson.pk, name="Ana Díaz", email="ana@x.org"
    )
    assert response.status_code == 302, response.content[:800]
    assert response["Location"] == lesson.get_url()
    account = LtiAccount.objects.get(issuer=platform.issuer, sub="u-42")
    assert account.user.full_name == "Ana Díaz"
    enrolment = Enrolment.objects.get(user=account.user, course=tree.course)
    assert enrolment.source == EnrolmentSource.LTI
    # Signed in: the lesson opens for the launched person.
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert page.wsgi_request.user == account.user


def test_relaunch_finds_the_same_account(client, platform, registration):
    tree = make_course()
    first, _ = launch(client, platform, user_id="u-7", page_id=tree.course.pk)
    client.logout()
    second, _ = launch(client, platform, user_id="u-7", page_id=tree.lessons[0].pk)
    assert first.status_code == second.status_code == 302
    assert LtiAccount.objects.filter(sub="u-7").count() == 1
    assert get_user_model().objects.filter(lti_accounts__sub="u-7").count() == 1
    assert Enrolment.objects.filter(course=tree.course).count() == 1


def _take_quiz(client, quiz, *, correct=True):
    start = client.post(reverse("learn_quiz_start", args=[quiz.pk]))
    assert start.status_code == 302, start.content[:300]
    attempt = QuizAttempt.objects.latest("started_at")
    data = (correct_form if correct else wrong_form)(attempt.snapshot)
    data.update(attempt=str(attempt.public_id), action="submit")
    done = client.post(start["Location"], data)
    assert done.status_code == 302, done.content[:300]
    attempt.refresh_from_db()
    return attempt


def test_final_assessment_score_reaches_the_platform_gradebook(
    client, platform, registration, django_capture_on_commit_callbacks
):
    tree = make_course(modules=1, lessons_per_module=1)
    quiz = make_quiz(tree.course, questions=3)  # a quiz under the course: its final assessment
    response, _ = launch(client, platform, user_id="u-quiz", page_id=quiz.pk)
    assert response.status_code == 302
    assert LtiGradeLink.objects.filter(page_id=quiz.pk).count() == 1
    with django_capture_on_commit_callbacks(execute=True):
        attempt = _take_quiz(client, quiz)
    assert attempt.passed
    assert platform.token_requests >= 1  # the tool got an AGS token with its signed assertion
    [score] = [s for s in platform.scores if s["userId"] == "u-quiz"]
    assert score["scoreGiven"] == 100.0
    assert score["scoreMaximum"] == 100.0
    assert score["activityProgress"] == "Completed"
    assert score["gradingProgress"] == "FullyGraded"
    link = LtiGradeLink.objects.get(page_id=quiz.pk)
    assert link.last_score == 100.0 and link.last_sent_at is not None and not link.last_error


def test_course_completion_reaches_the_platform(
    client, platform, registration, django_capture_on_commit_callbacks
):
    tree = make_course(modules=1, lessons_per_module=2)
    response, _ = launch(client, platform, user_id="u-course", page_id=tree.course.pk)
    assert response.status_code == 302
    with django_capture_on_commit_callbacks(execute=True):
        for lesson in tree.lessons:
            done = client.post(reverse("learn_complete_lesson", args=[lesson.pk]))
            assert done.status_code in (200, 302)
    assert Enrolment.objects.get(course=tree.course).completed_at is not None
    scores = [s for s in platform.scores if s["userId"] == "u-course"]
    assert scores[-1]["activityProgress"] == "Completed"
    assert scores[-1]["scoreGiven"] == 100.0


def test_a_slow_or_failing_platform_does_not_block_the_learner(
    client, platform, registration, django_capture_on_commit_callbacks
):
    tree = make_course(modules=1, lessons_per_module=1)
    quiz = make_quiz(tree.course, questions=2)
    launch(client, platform, user_id="u-down", page_id=quiz.pk)
    platform.stop()  # the platform goes away before the score is sent
    with django_capture_on_commit_callbacks(execute=True):
        attempt = _take_quiz(client, quiz)
    assert attempt.passed  # the learner's submit succeeded
    link = LtiGradeLink.objects.get(page_id=quiz.pk)
    assert link.last_sent_at is None and link.last_error


def test_deep_linking_returns_the_chosen_lesson_to_the_platform(client, platform, registration):
    tree = make_course()
    lesson = tree.lessons[0]
    form = authenticate(client, platform.login_url(user_id="teacher-1", deep_link=True))
    picker = client.post(
        relative(form["launch_url"]), {"id_token": form["id_token"], "state": form["state"]}
    )
    assert picker.status_code == 200, picker.content[:800]
    html = picker.content.decode()
    assert "Choose what to link from Capacitas" in html
    assert f'value="{lesson.pk}"' in html and tree.course.title in html
    launch_id = picker.context["launch_id"]
    answer = client.post("/lti/deep-link/", {"launch_id": launch_id, "page_id": lesson.pk})
    assert answer.status_code == 200
    return_url, jwt = answer.context["return_url"], answer.context["jwt"]
    assert return_url == f"{platform.issuer}/deep_link_return"
    assert platform.issuer in answer["Content-Security-Policy"]  # form-action to the platform
    received = requests.post(return_url, data={"JWT": jwt}, timeout=10)
    assert received.status_code == 200, received.text  # the platform verified our signature
    [items] = platform.deep_link_items
    [item] = items
    assert item["type"] == "ltiResourceLink"
    assert item["title"] == lesson.title
    assert item["url"] == f"http://testserver/lti/launch/?page={lesson.pk}"
    assert item["custom"] == {"page_id": str(lesson.pk)}


def test_deep_linked_link_then_launches_the_chosen_page(client, platform, registration):
    tree = make_course()
    quiz = make_quiz(tree.course, questions=1)
    response, _ = launch(client, platform, user_id="u-dl", page_id=quiz.pk)
    assert response.status_code == 302
    assert response["Location"] == quiz.get_url()


def test_a_learner_may_not_deep_link(client, platform, registration):
    form = authenticate(
        client,
        platform.login_url(
            user_id="learner-1",
            deep_link=True,
            roles=[LEARNER],
        ),
    )
    response = client.post(
        relative(form["launch_url"]), {"id_token": form["id_token"], "state": form["state"]}
    )
    assert response.status_code == 403
    assert "Only a teacher" in response.content.decode()


# --- refusals ---------------------------------------------------------------------------------
def _tamper(id_token: str, **claims) -> str:
    header, body, signature = id_token.split(".")
    padded = body + "=" * (-len(body) % 4)
    data = json.loads(base64.urlsafe_b64decode(padded))
    data.update(claims)
    new_body = base64.urlsafe_b64encode(json.dumps(data).encode()).decode().rstrip("=")
    return f"{header}.{new_body}.{signature}"


def test_bad_signature_is_refused_with_a_clear_error(client, platform, registration):
    tree = make_course()
    form = authenticate(client, platform.login_url(user_id="u-sig", page_id=tree.course.pk))
    forged = _tamper(form["id_token"], sub="someone-else")
    response = client.post(
        relative(form["launch_url"]), {"id_token": forged, "state": form["state"]}
    )
    assert response.status_code == 403
    assert "signature could not be verified" in response.content.decode()
    assert not LtiAccount.objects.exists()


def test_replayed_launch_is_refused(client, platform, registration):
    tree = make_course()
    form = authenticate(client, platform.login_url(user_id="u-replay", page_id=tree.course.pk))
    data = {"id_token": form["id_token"], "state": form["state"]}
    first = client.post(relative(form["launch_url"]), data)
    assert first.status_code == 302
    replay = client.post(relative(form["launch_url"]), data)
    assert replay.status_code == 403
    assert "already used" in replay.content.decode()


def test_unknown_issuer_is_refused_at_login(client, platform, registration, rogue_platform):
    tree = make_course()
    response = client.get(
        relative(rogue_platform.login_url(user_id="u-x", page_id=tree.course.pk))
        + "&lti1p3_new_window=1"
    )
    assert response.status_code == 403
    assert "not registered" in response.content.decode()


def test_unknown_issuer_is_refused_at_launch(client, platform, registration, rogue_platform):
    """A token from an unregistered platform, sent with a real login's state and nonce."""
    tree = make_course()
    form = authenticate(client, platform.login_url(user_id="u-r", page_id=tree.course.pk))
    real = json.loads(base64.urlsafe_b64decode(form["id_token"].split(".")[1] + "==").decode())
    rogue_token = rogue_platform.registration.platform_encode_and_sign(
        {**real, "iss": rogue_platform.issuer}, expiration=300
    )
    response = client.post(
        relative(form["launch_url"]), {"id_token": rogue_token, "state": form["state"]}
    )
    assert response.status_code == 403
    assert "not registered" in response.content.decode()
    assert not LtiAccount.objects.exists()


def test_launch_without_the_login_state_is_refused(client, platform, registration):
    tree = make_course()
    form = authenticate(client, platform.login_url(user_id="u-s", page_id=tree.course.pk))
    client.cookies.clear()  # another browser: no state cookie
    response = client.post(
        relative(form["launch_url"]), {"id_token": form["id_token"], "state": form["state"]}
    )
    assert response.status_code == 400
    assert "state" in response.content.decode()


def test_second_platform_registration_keeps_accounts_apart(client, platform, registration):
    other = Platform(client_id="other-client").start()
    try:
        register(other, client)
        tree = make_course()
        launch(client, platform, user_id="same-sub", page_id=tree.course.pk)
        client.logout()
        launch(client, other, user_id="same-sub", page_id=tree.course.pk)
        assert LtiAccount.objects.filter(sub="same-sub").count() == 2
        users = set(LtiAccount.objects.values_list("user_id", flat=True))
        assert len(users) == 2
    finally:
        other.stop()


def test_inactive_deployment_is_refused_with_a_clear_error(client, platform, registration):
    from lti_tool.models import LtiDeployment

    LtiDeployment.objects.update(is_active=False)
    tree = make_course()
    response, _ = launch(client, platform, user_id="u-off", page_id=tree.course.pk)
    assert response.status_code == 403
    assert "not active yet" in response.content.decode()
    assert not LtiAccount.objects.exists()


def test_launch_to_a_page_that_is_not_a_target_is_a_404(client, platform, registration):
    tree = make_course()
    response, _ = launch(client, platform, user_id="u-mod", page_id=tree.modules[0].pk)
    assert response.status_code == 404
    assert "not available" in response.content.decode()
