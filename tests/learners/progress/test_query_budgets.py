"""Hot learner pages cost the same number of queries whatever the size of the course."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from learners.progress.services import enrolment_create, lesson_complete, lesson_view_record
from tests.factories import UserFactory, make_course

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _rendered(settings):
    """The budgets guard the render path: with the learner page cache on, a repeated request
    would be a hit (session and user only) and say nothing of what rendering costs. The cache's
    own query count is held in tests/learners/progress/test_learner_page_cache.py."""
    settings.LEARNER_PAGE_CACHE = False


# Budgets of issue 10 (session and user included); the equality assertions below guard that
# the counts are constant, not merely small.
LESSON_BUDGET = 8
COURSE_BUDGET = 10
DASHBOARD_BUDGET = 12


def queries_for(client, url):
    client.get(url)  # warm up: site root paths cache, session, first-view rows
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


def learner_in(tree, *, done=1):
    """A learner enrolled in `tree` with `done` lessons complete and the next one viewed."""
    user = UserFactory()
    enrolment, _ = enrolment_create(user=user, course=tree.course)
    for lesson in tree.lessons[:done]:
        lesson_complete(user=user, enrolment=enrolment, lesson=lesson)
    if done < len(tree.lessons):
        lesson_view_record(user=user, enrolment=enrolment, lesson=tree.lessons[done])
    return user


def crowd(tree, n):
    """n - 1 other learners with progress in the same course."""
    for i in range(n - 1):
        learner_in(tree, done=i % len(tree.lessons))


@pytest.fixture
def small():
    return make_course(modules=1, lessons_per_module=3)


@pytest.fixture
def large():
    return make_course(modules=6, lessons_per_module=10)


def test_lesson_and_course_pages_cost_the_same_for_3_and_60_lessons(
    client, small, large, django_assert_max_num_queries
):
    counts = {}
    for name, tree in [("small", small), ("large", large)]:
        user = learner_in(tree, done=2)
        client.force_login(user)
        counts[name] = (
            queries_for(client, tree.lessons[2].url),
            queries_for(client, tree.course.url),
        )
        with django_assert_max_num_queries(LESSON_BUDGET):
            client.get(tree.lessons[2].url)
        with django_assert_max_num_queries(COURSE_BUDGET):
            client.get(tree.course.url)
    assert counts["small"] == counts["large"], counts


def test_lesson_and_course_pages_cost_the_same_for_1_and_20_enrolments(
    client, django_assert_max_num_queries
):
    counts = {}
    for enrolments in (1, 20):
        tree = make_course(modules=2, lessons_per_module=2)
        crowd(tree, enrolments)
        user = learner_in(tree, done=1)
        client.force_login(user)
        counts[enrolments] = (
            queries_for(client, tree.lessons[1].url),
            queries_for(client, tree.course.url),
        )
        with django_assert_max_num_queries(LESSON_BUDGET):
            client.get(tree.lessons[1].url)
        with django_assert_max_num_queries(COURSE_BUDGET):
            client.get(tree.course.url)
    assert counts[1] == counts[20], counts


def test_dashboard_costs_the_same_for_3_and_60_lessons(
    client, small, large, django_assert_max_num_queries
):
    counts = {}
    for name, tree in [("small", small), ("large", large)]:
        client.force_login(learner_in(tree, done=2))
        counts[name] = queries_for(client, "/en/learn/")
        with django_assert_max_num_queries(DASHBOARD_BUDGET):
            client.get("/en/learn/")
    assert counts["small"] == counts["large"], counts


def test_dashboard_costs_the_same_for_1_and_20_enrolments(client, django_assert_max_num_queries):
    """The page never grows with the number of enrolments.

    A learner with one course cannot show every kind of row at once (a resume link, a
    certificate); a query whose list of ids is empty is skipped, so that page costs at most
    what the 20-course page costs, and the 20- and 40-course pages cost exactly the same.
    """
    trees = [make_course(modules=1, lessons_per_module=2) for _ in range(40)]
    one, twenty, forty = UserFactory(), UserFactory(), UserFactory()
    for index, tree in enumerate(trees):
        users = [forty] + ([twenty] if index < 20 else []) + ([one] if index == 1 else [])
        for user in users:
            enrolment, _ = enrolment_create(user=user, course=tree.course)
            # Mixed states: not started, in progress, completed (with its certificate).
            for lesson in tree.lessons[: index % 3]:
                lesson_complete(user=user, enrolment=enrolment, lesson=lesson)
    counts = {}
    for label, user in [(1, one), (20, twenty), (40, forty)]:
        client.force_login(user)
        counts[label] = queries_for(client, "/en/learn/")
        with django_assert_max_num_queries(DASHBOARD_BUDGET):
            client.get("/en/learn/")
    assert counts[20] == counts[40], counts
    assert counts[1] <= counts[20], counts
