"""Pages routed in two queries are the pages Wagtail's own routing finds."""

import pytest
from django.test import Client, RequestFactory
from django.utils import translation
from wagtail.models import Page, PageViewRestriction

from cms.languages import split_language
from courses.routing import route_request
from tests.factories import make_course

pytestmark = pytest.mark.django_db


def routed(url: str):
    """The request for `url` (/en/courses/…) as the middleware routes it (path after /en/)."""
    language, path = split_language(url)
    request = RequestFactory().get(url, HTTP_HOST="localhost")
    with translation.override(language):
        route_request(request, path.lstrip("/"))
    return request


def wagtail_route(url: str):
    language, path = split_language(url)
    with translation.override(language):
        return Page.route_for_request(
            RequestFactory().get(url, HTTP_HOST="localhost"), path.lstrip("/")
        )


def test_lesson_and_course_resolve_to_the_same_specific_page_as_wagtail():
    tree = make_course(modules=2, lessons_per_module=2)
    for page in (tree.lessons[3], tree.course, tree.modules[1]):
        request = routed(page.url)
        expected = wagtail_route(page.url)
        assert request._wagtail_route_for_request.page == expected.page == page.specific
        assert type(request._wagtail_route_for_request.page) is type(page.specific)


def test_an_unknown_path_is_left_to_wagtail():
    make_course(modules=1, lessons_per_module=1)
    request = routed("/en/courses/no-such-course/")
    assert not hasattr(request, "_wagtail_route_for_request")


def test_a_page_that_is_not_live_is_not_found(client):
    tree = make_course(modules=1, lessons_per_module=2)
    url = tree.lessons[1].url
    tree.lessons[1].unpublish()
    assert routed(url)._wagtail_route_for_request is None
    assert client.get(url).status_code == 404


def test_pages_are_served_through_the_fast_route_in_two_queries(
    learner_client, learner, django_assert_max_num_queries
):
    from learners.progress.services import enrolment_create

    tree = make_course(modules=1, lessons_per_module=2)
    enrolment_create(user=learner, course=tree.course)
    assert learner_client.get(tree.lessons[0].url).status_code == 200
    response = learner_client.get(tree.lessons[1].url)
    assert response.status_code == 200
    assert response.wsgi_request._capacitas_route.course_id == tree.course.pk


def test_view_restrictions_still_apply(learner_client):
    client = Client()  # anonymous, beside the learner's
    tree = make_course(modules=1, lessons_per_module=1)
    assert client.get(tree.course.url).status_code == 200
    PageViewRestriction.objects.create(page=tree.course, restriction_type=PageViewRestriction.LOGIN)
    response = client.get(tree.course.url)
    assert response.status_code == 302 and "login" in response["Location"]
    assert learner_client.get(tree.course.url).status_code == 200
    PageViewRestriction.objects.all().delete()
    assert client.get(tree.course.url).status_code == 200
