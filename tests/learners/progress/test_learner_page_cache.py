"""Signed-in learners' course pages, lesson pages and My learning answered whole from the
cache, never stale."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.db.models.signals import post_save
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from courses.page_cache import CSRF_PLACEHOLDER
from learners.apps import _NOT_ON_LEARNER_PAGES
from learners.attempts.services import attempt_start, attempt_submit
from learners.certificates.services import certificate_reissue
from learners.models import ActivityEvent, Certificate, Enrolment, LessonProgress, Verb
from learners.progress import page_cache
from learners.progress.rules import VIEW_REFRESH
from learners.progress.services import enrolment_create, lesson_complete
from tests.factories import (
    UserFactory,
    _publish,
    complete_course,
    correct_form,
    make_course,
    make_quiz,
    translate,
)

pytestmark = pytest.mark.django_db

TOKEN = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')
WRITES = ("INSERT", "UPDATE", "DELETE")
# A hit reads the session and the user, nothing else.
HIT_QUERIES = 2


def get(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    writes = [q["sql"] for q in captured.captured_queries if q["sql"].startswith(WRITES)]
    return response, len(captured), writes


def without_tokens(content: bytes) -> bytes:
    return TOKEN.sub(b"", content)


def warm(client, url):
    """First view (which may write), then the render that is kept."""
    get(client, url)
    get(client, url)


@pytest.fixture
def tree():
    return make_course(modules=1, lessons_per_module=3)


@pytest.fixture
def enrolment(learner, tree):
    enrolment, _ = enrolment_create(user=learner, course=tree.course)
    return enrolment


def test_the_course_page_is_a_hit_with_fewer_queries(learner_client, tree, enrolment):
    first, rendered, _ = get(learner_client, tree.course.url)
    second, hit, _ = get(learner_client, tree.course.url)
    assert hit <= HIT_QUERIES < rendered
    assert without_tokens(second.content) == without_tokens(first.content)
    assert CSRF_PLACEHOLDER.encode() not in second.content
    assert second["Cache-Control"] == "private, no-store"  # signed in: no cache keeps it
    assert "Cookie" in second["Vary"]


def test_the_lesson_page_is_a_hit_once_rereading_it_writes_nothing(
    learner_client, tree, enrolment, django_assert_max_num_queries
):
    lesson = tree.lessons[0]
    _, _, writes = get(learner_client, lesson.url)
    assert writes  # the first view is recorded, and that render is not kept
    _, rendered, writes = get(learner_client, lesson.url)
    assert writes == []
    with django_assert_max_num_queries(HIT_QUERIES):
        hit = learner_client.get(lesson.url)
    assert hit.status_code == 200 and lesson.title.encode() in hit.content
    assert rendered > HIT_QUERIES


def test_a_move_to_another_lesson_and_back_moves_the_resume_point(learner_client, tree, enrolment):
    first, second = tree.lessons[0], tree.lessons[1]
    warm(learner_client, first.url)
    _, queries, _ = get(learner_client, first.url)
    assert queries <= HIT_QUERIES
    warm(learner_client, second.url)
    assert Enrolment.objects.get(pk=enrolment.pk).last_lesson_id == second.pk
    # Back to the first lesson, whose page was kept: the view is written, the resume follows.
    _, _, writes = get(learner_client, first.url)
    assert writes
    assert Enrolment.objects.get(pk=enrolment.pk).last_lesson_id == first.pk
    assert ActivityEvent.objects.filter(verb=Verb.EXPERIENCED).count() == 2
    assert f'href="{first.url}"'.encode() in learner_client.get(tree.course.url).content


def test_a_hit_still_refreshes_activity_times_once_they_are_old(
    monkeypatch, learner_client, tree, enrolment
):
    # Kept longer than VIEW_REFRESH, so that the hit's own check is what is tested.
    monkeypatch.setattr(page_cache, "PAGE_SECONDS", 3600)
    lesson = tree.lessons[0]
    warm(learner_client, lesson.url)
    _, queries, writes = get(learner_client, lesson.url)
    assert queries <= HIT_QUERIES and writes == []
    with time_machine.travel(timezone.now() + VIEW_REFRESH + timedelta(seconds=1)):
        _, _, writes = get(learner_client, lesson.url)
        assert writes  # activity times VIEW_REFRESH old: written, not served from the cache
        refreshed = Enrolment.objects.get(pk=enrolment.pk).last_activity_at
        assert timezone.now() - refreshed < timedelta(seconds=5)


def test_mark_complete_posts_from_a_cached_page_and_its_message_shows_once(
    learner, tree, enrolment
):
    client = Client(enforce_csrf_checks=True)
    client.force_login(learner)
    lesson = tree.lessons[0]
    warm(client, lesson.url)
    cached, queries, _ = get(client, lesson.url)
    assert queries <= HIT_QUERIES
    token = TOKEN.search(cached.content).group(1).decode()
    url = reverse("learn_complete_lesson", args=[lesson.pk])
    response = client.post(url, {"csrfmiddlewaretoken": token})
    assert response.status_code == 302
    assert LessonProgress.objects.get(enrolment=enrolment, lesson=lesson).completed_at
    shown, _, _ = get(client, lesson.url)
    assert b"Lesson marked as complete." in shown.content
    again, _, _ = get(client, lesson.url)
    assert b"Lesson marked as complete." not in again.content
    assert b"You have completed this lesson." in again.content
    _, queries, _ = get(client, lesson.url)
    assert queries <= HIT_QUERIES
    course, _, _ = get(client, tree.course.url)
    assert b"1 of 3" in course.content or b"33%" in course.content


def test_lesson_progress_from_a_service_shows_on_the_next_page(learner, learner_client, tree):
    enrolment, _ = enrolment_create(user=learner, course=tree.course)
    warm(learner_client, tree.lessons[0].url)  # its progress row exists: completing updates it
    warm(learner_client, tree.course.url)
    before, queries, _ = get(learner_client, tree.course.url)
    assert queries <= HIT_QUERIES and b"33%" not in before.content
    lesson_complete(user=learner, enrolment=enrolment, lesson=tree.lessons[0])
    after, queries, _ = get(learner_client, tree.course.url)
    assert queries > HIT_QUERIES
    assert after.content != before.content and b"33%" in after.content


def test_a_quiz_submission_shows_on_the_next_course_page(learner, learner_client, tree, enrolment):
    quiz = make_quiz(tree.modules[0], questions=2, title="Module check")
    warm(learner_client, tree.course.url)
    before, queries, _ = get(learner_client, tree.course.url)
    assert queries <= HIT_QUERIES
    attempt = attempt_start(user=learner, quiz=quiz)
    attempt_submit(user=learner, attempt=attempt, data=correct_form(attempt.snapshot))
    after, queries, _ = get(learner_client, tree.course.url)
    assert queries > HIT_QUERIES
    assert after.content != before.content


def test_an_archived_enrolment_closes_the_cached_lesson(learner_client, tree, enrolment):
    lesson = tree.lessons[0]
    warm(learner_client, lesson.url)
    warm(learner_client, tree.course.url)
    enrolment.archived_at = timezone.now()
    enrolment.save(update_fields=["archived_at"])
    assert learner_client.get(lesson.url).status_code == 403  # the enrolment prompt
    _, queries, _ = get(learner_client, tree.course.url)
    assert queries > HIT_QUERIES


def test_an_issued_certificate_shows_on_the_next_course_page(learner, learner_client, tree):
    enrolment, _ = enrolment_create(user=learner, course=tree.course)
    for lesson in tree.lessons[:-1]:
        lesson_complete(user=learner, enrolment=enrolment, lesson=lesson)
    warm(learner_client, tree.course.url)
    _, queries, _ = get(learner_client, tree.course.url)
    assert queries <= HIT_QUERIES
    # The last lesson completes the course, which issues the certificate.
    lesson_complete(user=learner, enrolment=enrolment, lesson=tree.lessons[-1])
    certificate = Certificate.objects.get(enrolment=enrolment)
    issued, _, _ = get(learner_client, tree.course.url)
    assert certificate.get_verify_url().encode() in issued.content
    warm(learner_client, tree.course.url)
    # Re-issued (a certificate's own save, nothing else): the new code shows at once.
    new = certificate_reissue(
        certificate=certificate, actor=UserFactory(is_staff=True), note="Name corrected"
    )
    reissued, queries, _ = get(learner_client, tree.course.url)
    assert queries > HIT_QUERIES
    assert new.get_verify_url().encode() in reissued.content


def test_the_day_changes_the_page(learner, learner_client, tree):
    enrolment = complete_course(learner, tree)
    today = timezone.localdate()
    certificate = Certificate.objects.get(enrolment=enrolment)  # issued on completion
    certificate.expires_on = today + timedelta(days=1)
    certificate.save(update_fields=["expires_on"])
    warm(learner_client, tree.course.url)
    page, queries, _ = get(learner_client, tree.course.url)
    assert queries <= HIT_QUERIES and b"badge-ok" in page.content
    with time_machine.travel(timezone.now() + timedelta(days=3)):
        later, queries, _ = get(learner_client, tree.course.url)
    assert queries > HIT_QUERIES
    assert b"badge-warn" in later.content  # expired


def test_publishing_shows_at_once_to_learners(learner_client, tree, enrolment):
    warm(learner_client, tree.course.url)
    lesson = tree.lessons[1]
    warm(learner_client, lesson.url)
    tree.course.title = "A renamed course"
    _publish(tree.course)
    assert b"A renamed course" in learner_client.get(tree.course.url).content
    lesson.title = "A renamed lesson"
    _publish(lesson)
    assert b"A renamed lesson" in learner_client.get(lesson.url).content


def test_each_language_has_its_own_page(learner_client, tree, enrolment):
    spanish = translate(tree.course, "es", title="Curso en español")
    warm(learner_client, tree.course.url)
    english, _, _ = get(learner_client, tree.course.url)
    assert b"Curso en espa" not in english.content
    warm(learner_client, spanish.url)
    es, queries, _ = get(learner_client, spanish.url)
    assert queries <= HIT_QUERIES
    assert "Curso en español".encode() in es.content and b'lang="es"' in es.content


@pytest.mark.parametrize("role", ["staff", "superuser"])
def test_staff_are_never_served_a_cached_page(client, tree, role):
    user = UserFactory(is_staff=True, is_superuser=role == "superuser")
    enrolment_create(user=user, course=tree.course)
    client.force_login(user)
    warm(client, tree.course.url)
    _, queries, _ = get(client, tree.course.url)
    assert queries > HIT_QUERIES
    _, again, _ = get(client, tree.course.url)
    assert again == queries


def test_two_learners_never_see_each_others_page(learner, other_learner, tree):
    first, second = Client(), Client()
    first.force_login(learner)
    second.force_login(other_learner)
    enrolment, _ = enrolment_create(user=learner, course=tree.course)
    enrolment_create(user=other_learner, course=tree.course)
    lesson_complete(user=learner, enrolment=enrolment, lesson=tree.lessons[0])
    warm(first, tree.course.url)
    mine, queries, _ = get(first, tree.course.url)
    assert queries <= HIT_QUERIES and b"33%" in mine.content
    theirs, queries, _ = get(second, tree.course.url)
    assert queries > HIT_QUERIES and b"33%" not in theirs.content


def test_the_csrf_token_is_each_sessions_own_and_forms_still_post(learner, tree, enrolment):
    one, two = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    one.force_login(learner)
    two.force_login(learner)
    warm(one, tree.course.url)
    page_one, _, _ = get(one, tree.course.url)
    page_two, queries, _ = get(two, tree.course.url)  # the same person's page, from the cache
    assert queries <= HIT_QUERIES
    token_one = TOKEN.search(page_one.content).group(1)
    token_two = TOKEN.search(page_two.content).group(1)
    assert CSRF_PLACEHOLDER.encode() not in page_two.content
    assert token_one != token_two
    posted = two.post(
        "/i18n/setlang/",
        {"language": "es", "next": "/", "csrfmiddlewaretoken": token_two.decode()},
    )
    assert posted.status_code == 302
    refused = Client(enforce_csrf_checks=True)
    refused.force_login(learner)
    assert (
        refused.post("/i18n/setlang/", {"language": "es", "csrfmiddlewaretoken": token_two})
    ).status_code == 403


def test_the_switch_turns_it_off(settings, learner_client, tree, enrolment):
    settings.LEARNER_PAGE_CACHE = False
    warm(learner_client, tree.course.url)
    _, queries, _ = get(learner_client, tree.course.url)
    assert queries > HIT_QUERIES


def test_a_query_string_is_never_served_from_the_cache(learner_client, tree, enrolment):
    warm(learner_client, tree.course.url)
    _, queries, _ = get(learner_client, tree.course.url + "?x=1")
    assert queries > HIT_QUERIES


def test_an_hr_assignment_enrols_on_the_next_page(learner, learner_client, tree):
    from learners.hr.services import _enrol_many

    warm(learner_client, tree.course.url)
    before, queries, _ = get(learner_client, tree.course.url)
    assert queries <= HIT_QUERIES
    _enrol_many(users=[learner], course=tree.course)  # bulk_create: no signal
    assert Enrolment.objects.filter(user=learner).exists()
    after, queries, _ = get(learner_client, tree.course.url)
    assert queries > HIT_QUERIES and after.content != before.content


def test_every_learners_model_makes_its_peoples_pages_stale():
    """A new model in learners is connected unless it is listed as never shown."""
    from django.apps import apps

    for model in apps.get_app_config("learners").get_models():
        listed = model._meta.model_name in _NOT_ON_LEARNER_PAGES
        assert post_save.has_listeners(model) or listed, model


# --- My learning (/learn/), a view marked with learner_page_cached ------------------------------
LEARN = "/en/learn/"


def test_my_learning_is_a_hit_and_shows_progress_at_once(learner, tree, enrolment):
    client = Client(enforce_csrf_checks=True)
    client.force_login(learner)
    first, rendered, _ = get(client, LEARN)
    second, hit, _ = get(client, LEARN)
    assert hit <= HIT_QUERIES < rendered
    assert without_tokens(second.content) == without_tokens(first.content)
    assert CSRF_PLACEHOLDER.encode() not in second.content
    assert second["Cache-Control"] == "private, no-store"
    lesson_complete(user=learner, enrolment=enrolment, lesson=tree.lessons[0])
    after, queries, _ = get(client, LEARN)
    assert queries > HIT_QUERIES and b"33%" in after.content and b"33%" not in second.content


def test_my_learning_shows_a_quiz_result_an_enrolment_and_a_certificate_at_once(
    learner, learner_client, tree, enrolment
):
    quiz = make_quiz(tree.modules[0], questions=2, title="Module check")
    warm(learner_client, LEARN)
    before, queries, _ = get(learner_client, LEARN)
    assert queries <= HIT_QUERIES and b"Module check" in before.content
    attempt = attempt_start(user=learner, quiz=quiz)
    attempt_submit(user=learner, attempt=attempt, data=correct_form(attempt.snapshot))
    after, queries, _ = get(learner_client, LEARN)
    assert queries > HIT_QUERIES and after.content != before.content
    other = make_course(modules=1, lessons_per_module=1, title="A second course")
    warm(learner_client, LEARN)
    enrolment_create(user=learner, course=other.course)
    assert b"A second course" in learner_client.get(LEARN).content
    complete_course(learner, other)
    certificate = Certificate.objects.get(enrolment__course=other.course)
    assert certificate.get_verify_url().encode() in learner_client.get(LEARN).content


def test_my_learning_is_each_persons_own_and_never_staff_s(learner, other_learner, tree, enrolment):
    lesson_complete(user=learner, enrolment=enrolment, lesson=tree.lessons[0])
    mine, theirs = Client(), Client()
    mine.force_login(learner)
    theirs.force_login(other_learner)
    warm(mine, LEARN)
    page, queries, _ = get(mine, LEARN)
    assert queries <= HIT_QUERIES and tree.course.title.encode() in page.content
    other_page, queries, _ = get(theirs, LEARN)
    assert queries > HIT_QUERIES and tree.course.title.encode() not in other_page.content
    staff = Client()
    staff.force_login(UserFactory(is_staff=True))
    warm(staff, LEARN)
    _, queries, _ = get(staff, LEARN)
    assert queries > HIT_QUERIES


def test_my_learning_forms_post_from_a_cached_page(learner, tree, enrolment):
    client = Client(enforce_csrf_checks=True)
    client.force_login(learner)
    warm(client, LEARN)
    cached, queries, _ = get(client, LEARN)
    assert queries <= HIT_QUERIES
    token = TOKEN.search(cached.content)
    assert token is not None  # the page's forms carry this session's own token
    posted = client.post(
        "/i18n/setlang/",
        {"language": "es", "next": "/", "csrfmiddlewaretoken": token.group(1).decode()},
    )
    assert posted.status_code == 302


def test_my_learning_signed_out_still_asks_to_sign_in(client):
    response = client.get(LEARN)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
