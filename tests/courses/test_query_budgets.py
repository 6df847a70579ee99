"""Course and lesson pages cost the same number of queries whatever the size of the course."""

import pytest

from learners.progress.services import enrolment_create
from tests.factories import make_course

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _rendered(settings):
    """The budgets guard the render path: with the learner page cache on, a repeated request
    would be a hit (session and user only) and say nothing of what rendering costs. The cache's
    own query count is held in tests/learners/progress/test_learner_page_cache.py."""
    settings.LEARNER_PAGE_CACHE = False


# Issue 10's budgets (the anonymous course page and the learner's lesson page).
COURSE_BUDGET = 10
LESSON_BUDGET = 8


def queries_for(client, url, django_assert_max_num_queries, budget) -> int:
    client.get(url)  # warm caches (site root paths, content types, the course outline)
    with django_assert_max_num_queries(budget) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries)


def test_course_page_queries_are_constant(client, django_assert_max_num_queries):
    small = make_course(modules=1, lessons_per_module=1)
    large = make_course(modules=4, lessons_per_module=4)
    # Anonymous visitors are answered from the page cache (courses/page_cache.py): no query.
    assert queries_for(client, small.course.url, django_assert_max_num_queries, 0) == 0
    assert queries_for(client, large.course.url, django_assert_max_num_queries, 0) == 0


def test_course_page_queries_are_constant_for_an_enrolled_learner(
    learner_client, learner, django_assert_max_num_queries
):
    small = make_course(modules=1, lessons_per_module=1)
    large = make_course(modules=4, lessons_per_module=4)
    for tree in (small, large):
        enrolment_create(user=learner, course=tree.course)
    assert queries_for(
        learner_client, small.course.url, django_assert_max_num_queries, COURSE_BUDGET
    ) == queries_for(learner_client, large.course.url, django_assert_max_num_queries, COURSE_BUDGET)


def test_lesson_page_queries_are_constant_for_an_enrolled_learner(
    learner_client, learner, django_assert_max_num_queries
):
    small = make_course(modules=1, lessons_per_module=2)
    large = make_course(modules=4, lessons_per_module=4)
    for tree in (small, large):
        enrolment_create(user=learner, course=tree.course)
    assert queries_for(
        learner_client, small.lessons[1].url, django_assert_max_num_queries, LESSON_BUDGET
    ) == queries_for(
        learner_client, large.lessons[1].url, django_assert_max_num_queries, LESSON_BUDGET
    )


def test_home_page_queries_are_constant(client, django_assert_max_num_queries):
    from tests.factories import home_page

    make_course(modules=1, lessons_per_module=1)
    few = queries_for(client, home_page().url, django_assert_max_num_queries, 60)
    for _ in range(4):
        make_course(modules=1, lessons_per_module=1)
    assert queries_for(client, home_page().url, django_assert_max_num_queries, 60) == few
