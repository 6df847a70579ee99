"""The quiz page costs the same number of queries whatever the size of the course and the
number of learners (issue 10's budget: 12)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from learners.attempts.services import attempt_start
from learners.progress.services import enrolment_create
from tests.factories import UserFactory, make_course, make_quiz

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _rendered(settings):
    """The budgets guard the render path: with the learner page cache on, a repeated request
    would be a hit (session and user only) and say nothing of what rendering costs. The cache's
    own query count is held in tests/learners/progress/test_learner_page_cache.py."""
    settings.LEARNER_PAGE_CACHE = False


QUIZ_BUDGET = 12


def quiz_queries(client, url, django_assert_max_num_queries) -> int:
    client.get(url)  # warm caches (site root paths, the course outline)
    with (
        django_assert_max_num_queries(QUIZ_BUDGET),
        CaptureQueriesContext(connection) as captured,
    ):
        assert client.get(url).status_code == 200
    return len(captured)


def quiz_course(modules, lessons, learners):
    tree = make_course(modules=modules, lessons_per_module=lessons)
    quiz = make_quiz(tree.modules[-1], questions=5)
    for _ in range(learners - 1):
        other = UserFactory()
        enrolment_create(user=other, course=tree.course)
        attempt_start(user=other, quiz=quiz)
    user = UserFactory()
    enrolment_create(user=user, course=tree.course)
    attempt_start(user=user, quiz=quiz)  # an open attempt: the page offers to resume it
    return user, quiz


@pytest.mark.parametrize(("small", "large"), [((1, 2, 1), (6, 10, 1)), ((2, 2, 1), (2, 2, 20))])
def test_quiz_page_costs_the_same_at_two_sizes(client, small, large, django_assert_max_num_queries):
    counts = []
    for modules, lessons, learners in (small, large):
        user, quiz = quiz_course(modules, lessons, learners)
        client.force_login(user)
        counts.append(quiz_queries(client, quiz.url, django_assert_max_num_queries))
    assert counts[0] == counts[1], counts
