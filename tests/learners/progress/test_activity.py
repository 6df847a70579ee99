"""The activity log: append-only rows shaped as xAPI statements."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied

from learners.models import ActivityEvent, Verb
from learners.progress.services import activity_record, enrolment_create, lesson_complete

pytestmark = pytest.mark.django_db

SITE = "https://learn.example.org"


@pytest.fixture
def event(learner, course_tree):
    enrolment, _ = enrolment_create(user=learner, course=course_tree.course)
    with time_machine.travel(datetime(2026, 5, 4, 10, 30, tzinfo=UTC), tick=False):
        lesson_complete(user=learner, enrolment=enrolment, lesson=course_tree.lessons[0])
    return ActivityEvent.objects.get(verb=Verb.COMPLETED, object_type="lesson")


def test_events_cannot_be_changed(event):
    event.object_title = "Rewritten"
    with pytest.raises(PermissionDenied):
        event.save()
    with pytest.raises(PermissionDenied):
        ActivityEvent.objects.filter(pk=event.pk).update(object_title="Rewritten")
    event.refresh_from_db()
    assert event.object_title != "Rewritten"


def test_events_cannot_be_deleted(event):
    with pytest.raises(PermissionDenied):
        event.delete()
    with pytest.raises(PermissionDenied):
        ActivityEvent.objects.all().delete()
    assert ActivityEvent.objects.filter(pk=event.pk).exists()


def test_to_xapi_shape(event, learner, course_tree):
    statement = event.to_xapi(site_url=SITE)
    lesson, course = course_tree.lessons[0], course_tree.course
    assert statement["actor"] == {
        "objectType": "Agent",
        "account": {"homePage": SITE, "name": str(learner.pk)},
    }
    assert statement["verb"]["id"] == "http://adlnet.gov/expapi/verbs/completed"
    assert statement["object"] == {
        "objectType": "Activity",
        "id": f"{SITE}/activities/lesson/{lesson.pk}",
        "definition": {"name": {"en-US": lesson.title}},
    }
    assert statement["result"] == {"completion": True}
    assert statement["context"]["contextActivities"]["parent"] == [
        {"id": f"{SITE}/activities/course/{course.pk}"}
    ]
    assert statement["timestamp"] == "2026-05-04T10:30:00+00:00"


def test_to_xapi_result_with_score_success_and_duration(learner):
    event = activity_record(
        actor=learner,
        verb=Verb.PASSED,
        object_type="quiz",
        object_id=7,
        object_title="Final assessment",
        score=85.456,
        success=True,
        duration=timedelta(minutes=12, seconds=5),
    )
    statement = event.to_xapi(site_url=SITE)
    assert statement["result"] == {
        "score": {"scaled": 0.8546},
        "success": True,
        "duration": "PT725S",
    }
    assert "context" not in statement  # no course given


def test_every_verb_is_an_iri():
    assert all(verb.startswith("http") for verb in Verb.values)
