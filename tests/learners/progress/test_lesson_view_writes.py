"""Opening a lesson writes only what changed: first view, resume point, stale activity times."""

from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from learners.models import ActivityEvent, Enrolment, LessonProgress, Verb
from learners.progress.rules import VIEW_REFRESH
from learners.progress.services import enrolment_create
from tests.factories import make_course

pytestmark = pytest.mark.django_db

WRITES = ("INSERT", "UPDATE", "DELETE")


def writes_of(client, url) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return [q["sql"] for q in captured.captured_queries if q["sql"].startswith(WRITES)]


@pytest.fixture
def enrolled(learner, learner_client):
    tree = make_course(modules=1, lessons_per_module=3)
    enrolment, _ = enrolment_create(user=learner, course=tree.course)
    return tree, enrolment


def test_first_view_records_the_row_and_the_event_then_rereading_writes_nothing(
    learner_client, enrolled
):
    tree, enrolment = enrolled
    lesson = tree.lessons[0]
    assert writes_of(learner_client, lesson.url)
    row = LessonProgress.objects.get(enrolment=enrolment, lesson=lesson)
    assert row.first_viewed_at is not None and row.first_viewed_at == row.last_viewed_at
    assert ActivityEvent.objects.filter(verb=Verb.EXPERIENCED, object_id=lesson.pk).count() == 1
    assert writes_of(learner_client, lesson.url) == []
    assert ActivityEvent.objects.filter(verb=Verb.EXPERIENCED).count() == 1


def test_moving_to_another_lesson_moves_the_resume_point(learner_client, enrolled):
    tree, enrolment = enrolled
    first, second = tree.lessons[0], tree.lessons[1]
    writes_of(learner_client, first.url)
    writes_of(learner_client, second.url)
    assert Enrolment.objects.get(pk=enrolment.pk).last_lesson_id == second.pk
    # Back to a lesson seen before: the resume point follows, no new learning event.
    assert writes_of(learner_client, first.url)
    assert Enrolment.objects.get(pk=enrolment.pk).last_lesson_id == first.pk
    assert ActivityEvent.objects.filter(verb=Verb.EXPERIENCED).count() == 2
    response = learner_client.get(tree.course.url)
    assert f'href="{first.url}"' in response.content.decode()


def test_rereading_refreshes_the_activity_times_once_they_are_old(learner_client, enrolled):
    tree, enrolment = enrolled
    lesson = tree.lessons[0]
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        writes_of(learner_client, lesson.url)
    with time_machine.travel(start + VIEW_REFRESH / 2, tick=False):
        assert writes_of(learner_client, lesson.url) == []
    later = start + VIEW_REFRESH + timedelta(seconds=1)
    with time_machine.travel(later, tick=False):
        assert writes_of(learner_client, lesson.url)
    row = LessonProgress.objects.get(enrolment=enrolment, lesson=lesson)
    assert row.first_viewed_at == start and row.last_viewed_at == later
    assert Enrolment.objects.get(pk=enrolment.pk).last_activity_at == later
