"""Whole pages cached for anonymous visitors, and outline fragments cached per progress state."""

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from wagtail.models import PageViewRestriction

from courses.page_cache import CSRF_PLACEHOLDER
from learners.progress.services import enrolment_create, lesson_complete
from tests.factories import UserFactory, _publish, make_course

pytestmark = pytest.mark.django_db

TOKEN = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')


def get(client, url, **headers):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, **headers)
    return response, len(captured)


def test_an_anonymous_course_page_is_served_from_the_cache_without_a_query():
    tree = make_course(modules=1, lessons_per_module=2)
    client = Client()
    first, _ = get(client, tree.course.url)
    second, queries = get(client, tree.course.url)
    assert first.status_code == second.status_code == 200
    assert queries == 0
    assert second.content.replace(TOKEN.search(second.content).group(1), b"") == (
        first.content.replace(TOKEN.search(first.content).group(1), b"")
    )
    assert tree.course.title.encode() in second.content
    assert second["Cache-Control"] == "private, no-cache"
    assert second["ETag"] == first["ETag"]
    assert "Cookie" in second["Vary"]


def test_every_answer_carries_a_working_csrf_token_of_the_visitor_never_the_placeholder():
    tree = make_course(modules=1, lessons_per_module=1)
    Client().get(tree.course.url)  # someone else fills the cache
    client = Client(enforce_csrf_checks=True)
    response = client.get(tree.course.url)
    assert CSRF_PLACEHOLDER.encode() not in response.content
    token = TOKEN.search(response.content).group(1).decode()
    assert "csrftoken" in response.cookies
    # The language form on the cached page posts with that token: not refused.
    posted = client.post(
        "/i18n/setlang/", {"language": "es", "next": "/", "csrfmiddlewaretoken": token}
    )
    assert posted.status_code == 302
    # A client without the cookie that goes with the token is refused.
    stranger = Client(enforce_csrf_checks=True)
    refused = stranger.post("/i18n/setlang/", {"language": "es", "csrfmiddlewaretoken": token})
    assert refused.status_code == 403


def test_a_matching_etag_answers_304():
    tree = make_course(modules=1, lessons_per_module=1)
    client = Client()
    etag = client.get(tree.course.url)["ETag"]
    response = client.get(tree.course.url, HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 304
    assert client.get(tree.course.url, HTTP_IF_NONE_MATCH='"other"').status_code == 200


def test_publishing_shows_at_once_to_anonymous_visitors():
    tree = make_course(modules=1, lessons_per_module=1)
    client = Client()
    client.get(tree.course.url)
    tree.course.title = "A new course title"
    _publish(tree.course)
    assert b"A new course title" in client.get(tree.course.url).content


def test_a_view_restriction_added_later_is_not_bypassed_by_the_cache():
    tree = make_course(modules=1, lessons_per_module=1)
    client = Client()
    assert client.get(tree.course.url).status_code == 200
    PageViewRestriction.objects.create(page=tree.course, restriction_type="login")
    assert client.get(tree.course.url).status_code == 302


def test_signed_in_visitors_and_query_strings_are_never_served_from_it():
    tree = make_course(modules=1, lessons_per_module=1)
    Client().get(tree.course.url)
    learner = UserFactory()
    client = Client()
    client.force_login(learner)
    response, queries = get(client, tree.course.url)
    assert queries > 0
    assert b"Enrol in this course" in response.content
    assert response["Cache-Control"] == "private, no-store"
    _, queries = get(Client(), tree.course.url + "?x=1")
    assert queries > 0


def test_lessons_are_not_cached_for_anonymous_visitors():
    tree = make_course(modules=1, lessons_per_module=1)
    client = Client()
    client.get(tree.lessons[0].url)
    _, queries = get(client, tree.lessons[0].url)
    assert queries > 0


def test_the_outline_fragments_follow_the_learner_progress():
    tree = make_course(modules=1, lessons_per_module=2)
    learner, other = UserFactory(), UserFactory()
    enrolment, _ = enrolment_create(user=learner, course=tree.course)
    enrolment_create(user=other, course=tree.course)
    client = Client()
    client.force_login(learner)
    lesson = tree.lessons[0]
    assert b"is-done" not in client.get(tree.course.url).content
    assert b"is-done" not in client.get(lesson.url).content
    lesson_complete(user=learner, enrolment=enrolment, lesson=lesson)
    assert client.get(tree.course.url).content.count(b"is-done") == 1
    assert client.get(lesson.url).content.count(b"is-done") == 1
    # Another learner, with nothing done, shares nothing of that state.
    other_client = Client()
    other_client.force_login(other)
    assert b"is-done" not in other_client.get(tree.course.url).content
    assert b"is-done" not in other_client.get(lesson.url).content
