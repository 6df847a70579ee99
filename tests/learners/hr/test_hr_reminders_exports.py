"""Reminders once per threshold, weekly digests once per week, and safe exports."""

import csv
import io
from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from openpyxl import load_workbook

from learners.hr.services import digests_send, reminders_send
from learners.models import AssignedLearner, Assignment, AssignmentTarget, Enrolment, ReminderLog
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def assigned(orgs, people, course_tree):
    assignment = Assignment.objects.create(
        course=course_tree.course,
        course_title="Integrity basics",
        organisation=orgs["a"],
        target=AssignmentTarget.INDIVIDUALS,
        due_on=date(2026, 7, 1),
    )
    Enrolment.objects.create(user=people["a"], course=course_tree.course, course_title="C")
    AssignedLearner.objects.create(assignment=assignment, user=people["a"], due_on=date(2026, 7, 1))
    return assignment


def test_reminders_sent_once_per_threshold(assigned, people):
    sent = []
    for day in range(0, 30):
        today = date(2026, 6, 10) + timedelta(days=day)
        count = reminders_send(today=today)
        if count:
            sent.append((today, count))
    assert [day for day, _count in sent] == [date(2026, 6, 17), date(2026, 6, 28), date(2026, 7, 2)]
    kinds = sorted(ReminderLog.objects.values_list("kind", flat=True))
    assert kinds == ["due_14", "due_3", "overdue"]
    assert len(mail.outbox) == 3 and all(m.to == [people["a"].email] for m in mail.outbox)
    assert "Overdue" in mail.outbox[-1].subject


def test_no_reminder_once_completed(assigned, people):
    from django.utils import timezone

    Enrolment.objects.filter(user=people["a"]).update(completed_at=timezone.now())
    assert reminders_send(today=date(2026, 7, 5)) == 0


def test_weekly_digest_once_per_iso_week(assigned, officer_a, people):
    assert digests_send(today=date(2026, 7, 6)) == 1  # Monday
    assert digests_send(today=date(2026, 7, 8)) == 0  # same ISO week
    digest = mail.outbox[-1]
    assert digest.to == [officer_a.email]
    assert people["a"].email in digest.body  # the overdue learner is listed
    assert digests_send(today=date(2026, 7, 13)) == 1  # next week


def test_reminder_command_runs_daily(assigned, officer_a):
    out = io.StringIO()
    with time_machine.travel(datetime(2026, 7, 2, 7, tzinfo=UTC), tick=False):
        call_command("send_assignment_reminders", stdout=out)
        call_command("send_assignment_reminders", stdout=out)
    assert ReminderLog.objects.filter(kind="overdue").count() == 1
    assert ReminderLog.objects.filter(kind="digest").count() == 1
    assert "reminders sent" in out.getvalue()


def test_csv_neutralises_formulas_and_uses_iso_dates(client, officer_a, orgs, course_tree):
    evil = UserFactory(
        organisation=orgs["a"], full_name='=HYPERLINK("http://x")', job_title="@SUM(1)"
    )
    Enrolment.objects.create(user=evil, course=course_tree.course, course_title="+cmd|' /C calc")
    client.force_login(officer_a)
    response = client.get("/en/hr/export.csv")
    assert response["Content-Type"].startswith("text/csv")
    assert response.streaming
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    header, row = rows[0], rows[1]
    assert row[header.index("Name")] == '\'=HYPERLINK("http://x")'
    assert row[header.index("Job title")] == "'@SUM(1)"
    assert row[header.index("Course")] == "'+cmd|' /C calc"
    enrolled = row[header.index("Enrolled")]
    assert date.fromisoformat(enrolled)


def test_xlsx_neutralises_formulas(client, officer_a, orgs, course_tree, monkeypatch):
    from django.urls import reverse

    from learners.hr.exports import download_token
    from learners.hr.models import ExportJob

    monkeypatch.setattr(
        "django.db.transaction.on_commit", lambda func, using=None, robust=False: func()
    )
    evil = UserFactory(organisation=orgs["a"], full_name="-2+3")
    Enrolment.objects.create(user=evil, course=course_tree.course, course_title="C")
    client.force_login(officer_a)
    assert client.post("/en/hr/exports/", {"format": "xlsx"}).status_code == 302
    job = ExportJob.objects.get()
    response = client.get(reverse("hr_export_download", args=[download_token(job.pk)]))
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1][0] == "'-2+3"
    enrolled = rows[1][rows[0].index("Enrolled")]
    assert isinstance(enrolled, datetime)  # a date cell, read back at midnight
    from django.utils import timezone

    assert enrolled.date() == timezone.localdate()
