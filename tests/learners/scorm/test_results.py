"""What a learner achieved in SCORM lessons, as My learning and HR show it: status, score,
pass or fail, time and attempts, at a fixed number of queries."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from learners.models import Enrolment, ScormAttempt
from learners.progress.services import enrolment_create
from learners.scorm.selectors import scorm_results
from tests import scorm_packages as packages
from tests.factories import UserFactory, make_course, make_scorm_lesson, make_scorm_package
from tests.learners.progress.test_query_budgets import DASHBOARD_BUDGET
from tests.learners.scorm.test_runtime import CMI_PASSED_12, CMI_SUSPEND_12, commit

pytestmark = pytest.mark.django_db


@pytest.fixture
def scorm_course(db):
    tree = make_course(modules=1, lessons_per_module=1, title="Public budgets")
    package = make_scorm_package(packages.package(version="1.2"))
    lesson = make_scorm_lesson(tree.modules[0], package, title="Budgets in SCORM")
    return tree, lesson


def _dashboard(client) -> str:
    response = client.get("/en/learn/")
    assert response.status_code == 200
    return response.content.decode()


def test_my_learning_lists_a_scorm_lesson_not_started_then_scored(
    scorm_course, learner, learner_client
):
    tree, lesson = scorm_course
    enrolment_create(user=learner, course=tree.course)
    html = _dashboard(learner_client)
    assert "SCORM lessons" in html
    assert f'<a href="{lesson.url}">Budgets in SCORM</a>:' in html
    assert "not started" in html

    commit(learner_client, lesson, cmi=CMI_SUSPEND_12)
    html = _dashboard(learner_client)
    assert "in progress" in html and "score" not in html.split("SCORM lessons")[1][:400]

    commit(learner_client, lesson, sequence=2, cmi=CMI_PASSED_12)
    html = _dashboard(learner_client)
    section = html.split("SCORM lessons")[1]
    assert "completed · score 85.0\u00a0% (passed)" in section


def test_my_learning_in_spanish_localises_the_score(scorm_course, learner, learner_client):
    tree, lesson = scorm_course
    enrolment_create(user=learner, course=tree.course)
    commit(
        learner_client,
        lesson,
        cmi={"cmi": {"core": {"lesson_status": "failed", "score": {"raw": "42.5"}}}},
    )
    html = learner_client.get("/es/learn/").content.decode()
    assert "42,5\u00a0%" in html


def test_a_course_without_scorm_lessons_reads_no_scorm_rows(course_tree, learner, learner_client):
    enrolment_create(user=learner, course=course_tree.course)
    learner_client.get("/en/learn/")  # outlines cached
    with CaptureQueriesContext(connection) as queries:
        html = _dashboard(learner_client)
    assert "SCORM lessons" not in html
    assert not [q for q in queries.captured_queries if "scormattempt" in q["sql"].lower()]


def test_my_learning_stays_within_its_budget_with_scorm_attempts(
    scorm_course, learner, learner_client, django_assert_max_num_queries
):
    tree, lesson = scorm_course
    enrolment_create(user=learner, course=tree.course)
    commit(learner_client, lesson, cmi=CMI_PASSED_12)
    for _i in range(3):  # more attempts and courses cost no more queries
        extra = make_course(modules=1, lessons_per_module=0)
        other = make_scorm_lesson(extra.modules[0], make_scorm_package(packages.package()))
        enrolment_create(user=learner, course=extra.course)
        commit(learner_client, other, cmi=CMI_PASSED_12)
    learner_client.get("/en/learn/")
    with django_assert_max_num_queries(DASHBOARD_BUDGET):
        html = _dashboard(learner_client)
    assert html.count("(passed)") == 4


def test_results_take_each_scos_latest_attempt_and_any_failure(db, learner, learner_client):
    tree = make_course(modules=1, lessons_per_module=0)
    lesson = make_scorm_lesson(
        tree.modules[0], make_scorm_package(packages.package(version="2004", scos=2))
    )
    enrolment, _ = enrolment_create(user=learner, course=tree.course)

    def cmi(success: str, scaled: str, seconds: int) -> dict:
        return {
            "cmi": {
                "completion_status": "completed",
                "success_status": success,
                "score": {"scaled": scaled},
                "session_time": f"PT{seconds}S",
                "exit": "normal",
            }
        }

    # item1 passes with 90, then a second attempt fails with 40; item2 passes with 90.
    assert commit(learner_client, lesson, sco="item1", cmi=cmi("passed", "0.9", 30)).json()[
        "completed"
    ]
    second = commit(learner_client, lesson, sco="item1", attempt=2, cmi=cmi("failed", "0.4", 60))
    assert second.status_code == 200
    assert commit(learner_client, lesson, sco="item2", cmi=cmi("passed", "0.9", 30)).json()[
        "completed"
    ]
    result = scorm_results([enrolment.pk])[(enrolment.pk, lesson.pk, "")]
    assert result.attempts == 3
    # The latest attempts count: item1 40 (failed), item2 90: mean 65, not passed.
    assert result.score_percent == Decimal("65.00")
    assert result.passed is False
    assert result.seconds == 120 and result.minutes == 2
    assert result.completed is True  # every SCO completed: the lesson's progress row says so


def test_results_survive_the_lesson_being_renamed_and_deleted(
    scorm_course, learner, learner_client
):
    tree, lesson = scorm_course
    enrolment, _ = enrolment_create(user=learner, course=tree.course)
    commit(learner_client, lesson, cmi=CMI_PASSED_12)
    ScormAttempt.objects.update(lesson_title="Old title")
    lesson.delete()
    results = scorm_results([enrolment.pk])
    assert list(results) == [(enrolment.pk, None, "Old title")]
    assert results[(enrolment.pk, None, "Old title")].score_percent == Decimal("85.00")


def test_results_of_others_are_not_mixed_in(scorm_course, learner, learner_client):
    tree, lesson = scorm_course
    mine, _ = enrolment_create(user=learner, course=tree.course)
    commit(learner_client, lesson, cmi=CMI_PASSED_12)
    other = UserFactory()
    theirs, _ = enrolment_create(user=other, course=tree.course)
    assert scorm_results([theirs.pk]) == {}
    assert Enrolment.objects.count() == 2
