"""The dashboard's figures from their rewritten queries: counted by month, by group, in scope."""

from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine

from learners.hr.selectors import HRFilters, hr_dashboard
from learners.models import Enrolment
from tests.factories import UserFactory, make_certificate, make_course

pytestmark = pytest.mark.django_db


def test_certificates_per_month_and_groups(orgs, depts, officer_metro):
    course = make_course(modules=1, lessons_per_module=1).course
    issued = [
        datetime(2026, 6, 30, 23, 30, tzinfo=UTC),  # last minutes of June
        datetime(2026, 7, 1, 0, 0, tzinfo=UTC),  # first instant of July
        datetime(2026, 7, 15, tzinfo=UTC),
        datetime(2026, 4, 2, tzinfo=UTC),
        datetime(2025, 7, 31, tzinfo=UTC),  # before the twelve months shown
    ]
    for i, when in enumerate(issued):
        person = UserFactory(organisation=orgs["a"], department=depts["a"])
        enrolment = Enrolment.objects.create(
            user=person, course=course, course_title="C", completed_at=when
        )
        make_certificate(enrolment, issued_at=when, expires_on=date(2030, 1, 1) + timedelta(i))
    outsider = UserFactory(organisation=orgs["c"])
    enrolment = Enrolment.objects.create(user=outsider, course=course, course_title="C")
    make_certificate(enrolment, issued_at=issued[2])
    with time_machine.travel(datetime(2026, 7, 20, 9, tzinfo=UTC), tick=False):
        figures = hr_dashboard(officer_metro, today=date(2026, 7, 20))
    months = {bar.label: bar.value for bar in figures.per_month}
    assert list(months)[0] == "2025-08" and list(months)[-1] == "2026-07"
    assert months["2026-07"] == 2 and months["2026-06"] == 1 and months["2026-04"] == 1
    assert sum(months.values()) == 4
    assert figures.rows_matching(HRFilters()) == 5
    assert figures.rows_matching(HRFilters(department=depts["a"].pk)) == 5
    assert figures.rows_matching(HRFilters(organisation=orgs["b"].pk)) == 0
    assert figures.rows_matching(HRFilters(course=course.pk)) == 5
    assert figures.rows_matching(HRFilters(status="overdue")) is None
    assert [(bar.label, bar.value, bar.total) for bar in figures.by_department] == [
        ("Planning (Municipality A)", 5, 5)
    ]
    assert figures.certified_people == 5 and figures.learners == 6  # the officer too
