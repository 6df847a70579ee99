"""Statements: their shape, stable identities, and validation by Ralph's xAPI models."""

import uuid
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st
from ralph.models.xapi.base.statements import BaseXapiStatement
from ralph.models.xapi.concepts.verbs.adl_vocabulary import RegisteredVerb
from ralph.models.xapi.concepts.verbs.scorm_profile import CompletedVerb
from wagtail.models import Locale

from learners.models import Verb, XapiAccount
from learners.xapi.services import statements_build
from learners.xapi.statements import (
    StatementFacts,
    iso8601_duration,
    scaled_score,
    statement_build,
    statement_id,
)
from tests.learners.xapi.journeys import every_verb_journey

SITE = "https://capacitas.example.org"
# Ralph ships a model of its own for these verbs; every statement also validates as a whole.
RALPH_VERB_MODELS = {Verb.REGISTERED: RegisteredVerb, Verb.COMPLETED: CompletedVerb}


def facts(**overrides) -> StatementFacts:
    values = {
        "event_id": 7,
        "verb": Verb.PASSED.value,
        "object_type": "quiz",
        "object_id": 12,
        "object_key": uuid.UUID("11111111-2222-3333-4444-555555555555"),
        "object_title": "Final assessment",
        "course_id": 3,
        "course_key": uuid.UUID("99999999-8888-7777-6666-555555555555"),
        "course_title": "Planning the international action",
        "language": "es",
        "actor_name": "2b1f6c0e-0000-4000-8000-000000000001",
        "actor_mbox": None,
        "timestamp": datetime(2026, 3, 4, 10, 30, tzinfo=UTC),
        "score": Decimal("85.46"),
        "success": True,
        "completion": True,
        "duration": timedelta(minutes=12, seconds=5),
    }
    values.update(overrides)
    return StatementFacts(**values)


def test_a_quiz_statement_has_every_part_the_issue_asks_for():
    statement = statement_build(facts(), site_url=SITE + "/", platform="Capacitas")
    assert statement["id"] == str(statement_id(site_url=SITE, event_id=7))
    assert statement["actor"] == {
        "objectType": "Agent",
        "account": {"homePage": SITE, "name": "2b1f6c0e-0000-4000-8000-000000000001"},
    }
    assert statement["verb"] == {"id": Verb.PASSED.value, "display": {"en-US": "passed"}}
    assert statement["object"]["id"] == (
        f"{SITE}/xapi/activities/quiz/11111111-2222-3333-4444-555555555555"
    )
    assert statement["object"]["definition"]["type"] == (
        "http://adlnet.gov/expapi/activities/assessment"
    )
    assert statement["object"]["definition"]["name"] == {"es": "Final assessment"}
    assert statement["result"] == {
        "score": {"scaled": 0.8546, "raw": 85.46, "min": 0.0, "max": 100.0},
        "success": True,
        "completion": True,
        "duration": "PT12M5S",
    }
    assert statement["context"]["language"] == "es"
    assert statement["context"]["platform"] == "Capacitas"
    parent = statement["context"]["contextActivities"]["parent"][0]
    assert parent["id"] == f"{SITE}/xapi/activities/course/99999999-8888-7777-6666-555555555555"
    assert statement["timestamp"] == "2026-03-04T10:30:00+00:00"
    BaseXapiStatement(**statement)


def test_the_same_event_always_gives_the_same_statement_and_id():
    one = statement_build(facts(), site_url=SITE, platform="Capacitas")
    two = statement_build(facts(), site_url=SITE, platform="Capacitas")
    assert one == two
    other = statement_build(facts(event_id=8), site_url=SITE, platform="Capacitas")
    assert other["id"] != one["id"]
    elsewhere = statement_build(facts(), site_url="https://other.example.org", platform="X")
    assert elsewhere["id"] != one["id"]


def test_actor_by_email_only_when_configured():
    statement = statement_build(
        facts(actor_mbox="lea@capacitas.eu"), site_url=SITE, platform="Capacitas"
    )
    assert statement["actor"] == {"objectType": "Agent", "mbox": "mailto:lea@capacitas.eu"}
    BaseXapiStatement(**statement)


def test_a_certificate_is_the_course_certificate_activity_and_a_deleted_page_keeps_an_iri():
    earned = statement_build(
        facts(verb=Verb.EARNED.value, object_type="certificate", object_id=5, object_key=None),
        site_url=SITE,
        platform="Capacitas",
    )
    assert earned["object"]["id"] == (
        f"{SITE}/xapi/activities/certificate/99999999-8888-7777-6666-555555555555"
    )
    gone = statement_build(
        facts(object_key=None, course_key=None, language=None), site_url=SITE, platform="C"
    )
    assert gone["object"]["id"] == f"{SITE}/xapi/activities/quiz/page-12"
    assert "language" not in gone["context"]
    assert gone["object"]["definition"]["name"] == {"en": "Final assessment"}
    BaseXapiStatement(**earned)
    BaseXapiStatement(**gone)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (timedelta(0), "PT0S"),
        (timedelta(seconds=59), "PT59S"),
        (timedelta(minutes=1), "PT1M"),
        (timedelta(hours=1, minutes=2, seconds=3), "PT1H2M3S"),
        (timedelta(days=2, hours=4), "P2DT4H"),
        (timedelta(seconds=1, microseconds=500000), "PT1.5S"),
        (timedelta(seconds=-5), "PT0S"),
    ],
)
def test_iso8601_durations(value, expected):
    assert iso8601_duration(value) == expected


@given(st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=400)))
def test_every_duration_validates_and_round_trips_to_the_centisecond(value):
    statement = statement_build(facts(duration=value), site_url=SITE, platform="C")
    parsed = BaseXapiStatement(**statement).result.duration
    assert abs(parsed - value) <= timedelta(milliseconds=5)


@given(st.decimals(min_value=-50, max_value=150, places=2))
def test_scaled_scores_stay_between_0_and_1(score):
    assert 0 <= scaled_score(score) <= 1
    BaseXapiStatement(**statement_build(facts(score=score), site_url=SITE, platform="C"))


@pytest.mark.django_db
def test_every_verb_the_platform_emits_validates_with_ralph(learner):
    events = every_verb_journey(learner)
    assert {e.verb for e in events} == set(Verb.values)
    statements = statements_build(events=events)
    account = XapiAccount.objects.get(user=learner)
    for statement in statements:
        model = BaseXapiStatement(**statement)
        assert str(model.id) == statement["id"]
        assert statement["actor"]["account"]["name"] == str(account.name)
        assert str(learner.pk) != statement["actor"]["account"]["name"]
        if statement["verb"]["id"] in RALPH_VERB_MODELS:
            RALPH_VERB_MODELS[statement["verb"]["id"]](**statement["verb"])
    scored = [s for s in statements if "score" in s.get("result", {})]
    assert scored and all(0 <= s["result"]["score"]["scaled"] <= 1 for s in scored)
    assert all(
        s["result"]["duration"].startswith("P")
        for s in statements
        if "duration" in s.get("result", {})
    )


@pytest.mark.django_db
def test_iris_follow_the_translation_key_and_the_language_the_locale(learner, course_tree):
    from learners.progress.services import enrolment_create

    lesson = course_tree.lessons[0]
    spanish = Locale.objects.create(language_code="es")
    translated = lesson.copy_for_translation(spanish, copy_parents=True)
    assert translated.translation_key == lesson.translation_key
    enrolment, _ = enrolment_create(user=learner, course=course_tree.course)
    from learners.progress.services import activity_record

    first = activity_record(
        actor=learner,
        verb=Verb.EXPERIENCED,
        object_type="lesson",
        object_id=lesson.pk,
        object_title=lesson.title,
        course_id=course_tree.course.pk,
    )
    second = activity_record(
        actor=learner,
        verb=Verb.EXPERIENCED,
        object_type="lesson",
        object_id=translated.pk,
        object_title=translated.title,
        course_id=course_tree.course.pk,
    )
    english, spanish_statement = statements_build(events=[first, second])
    assert english["object"]["id"] == spanish_statement["object"]["id"]
    assert str(lesson.translation_key) in english["object"]["id"]
    assert english["context"]["language"] == "en"
    assert spanish_statement["context"]["language"] == "es"
    assert enrolment.pk
