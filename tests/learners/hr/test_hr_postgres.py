"""Races that PostgreSQL settles: two reminder runs at once send each reminder once."""

import threading
from datetime import date

import pytest
from django.core import mail
from django.db import connection

from learners.hr.services import reminders_send
from learners.models import AssignedLearner, Assignment, AssignmentTarget, Enrolment, ReminderLog
from tests.factories import OrganisationFactory, UserFactory, make_course


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_reminder_runs_send_once():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL")
    org = OrganisationFactory()
    course = make_course(modules=1, lessons_per_module=1).course
    assignment = Assignment.objects.create(
        course=course,
        course_title=course.title,
        organisation=org,
        target=AssignmentTarget.INDIVIDUALS,
        due_on=date(2026, 7, 1),
    )
    for _ in range(5):
        person = UserFactory(organisation=org)
        Enrolment.objects.create(user=person, course=course, course_title=course.title)
        AssignedLearner.objects.create(assignment=assignment, user=person, due_on=date(2026, 7, 1))
    barrier = threading.Barrier(4)
    errors = []

    def run():
        try:
            barrier.wait()
            reminders_send(today=date(2026, 7, 5))
        except Exception as error:  # noqa: BLE001
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert ReminderLog.objects.filter(kind="overdue").count() == 5
    assert len(mail.outbox) == 5
