"""HR's page of one person shows their SCORM lessons: status, score, result, time, attempts;
never the CMI data; the page's queries do not grow with attempts."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from learners.progress.services import enrolment_create
from tests import scorm_packages as packages
from tests.factories import make_course, make_scorm_lesson, make_scorm_package
from tests.learners.scorm.test_runtime import CMI_PASSED_12, commit

pytestmark = pytest.mark.django_db


def _played(person, lesson, **kwargs):
    client = Client()
    client.force_login(person)
    assert commit(client, lesson, **kwargs).status_code == 200


@pytest.fixture
def scorm_lesson(db):
    tree = make_course(modules=1, lessons_per_module=0, title="Public budgets")
    return make_scorm_lesson(
        tree.modules[0], make_scorm_package(packages.package(version="1.2")), title="Budgets 1.2"
    )


def test_officer_sees_scorm_lessons_of_a_person_in_scope(client, officer_a, people, scorm_lesson):
    person = people["a"]
    enrolment_create(user=person, course=scorm_lesson.get_parent().get_parent())
    _played(person, scorm_lesson, cmi=CMI_PASSED_12)
    client.force_login(officer_a)
    response = client.get(f"/en/hr/learners/{person.pk}/")
    assert response.status_code == 200
    html = response.content.decode()
    section = html.split('id="scorm-heading"')[1].split("</section>")[0]
    assert "Budgets 1.2" in section and "Public budgets" in section
    assert "85.0\u00a0%" in section and "Passed" in section and "Completed" in section
    assert "2 minutes" in section
    # Status only: the SCO's interactions and suspend data stay the learner's.
    assert "q1" not in section


def test_scorm_section_absent_without_scorm_attempts(client, officer_a, people, course_tree):
    enrolment_create(user=people["a"], course=course_tree.course)
    client.force_login(officer_a)
    html = client.get(f"/en/hr/learners/{people['a'].pk}/").content.decode()
    assert 'id="scorm-heading"' not in html


def test_out_of_scope_and_learners_are_refused(client, officer_a, people, scorm_lesson):
    enrolment_create(user=people["b"], course=scorm_lesson.get_parent().get_parent())
    _played(people["b"], scorm_lesson, cmi=CMI_PASSED_12)
    client.force_login(officer_a)
    assert client.get(f"/en/hr/learners/{people['b'].pk}/").status_code == 404
    client.force_login(people["a"])
    assert client.get(f"/en/hr/learners/{people['b'].pk}/").status_code == 403


def test_scorm_rows_cost_the_same_queries_however_many(client, officer_a, people):
    person = people["a"]
    lessons = []
    for number in range(3):
        tree = make_course(modules=1, lessons_per_module=0, title=f"Course {number}")
        lessons.append(make_scorm_lesson(tree.modules[0], make_scorm_package(packages.package())))
        enrolment_create(user=person, course=tree.course)
    _played(person, lessons[0], cmi=CMI_PASSED_12)
    client.force_login(officer_a)
    client.get(f"/en/hr/learners/{person.pk}/")
    with CaptureQueriesContext(connection) as small:
        client.get(f"/en/hr/learners/{person.pk}/")
    for lesson in lessons[1:]:
        _played(person, lesson, cmi=CMI_PASSED_12)
    with CaptureQueriesContext(connection) as large:
        html = client.get(f"/en/hr/learners/{person.pk}/").content.decode()
    assert html.count("85.0\u00a0%") == 3
    assert len(large) == len(small)
