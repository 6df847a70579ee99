"""Exports as background tasks: same rows as the direct export, only for their requester,
through expiring links, with progress, and purged when old."""

import csv
import io
from datetime import timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from learners.hr import exports
from learners.hr.exports import download_token, export_job_run
from learners.hr.models import ExportJob, ExportStatus
from learners.hr.selectors import EXPORT_COLUMN_TYPES, HRFilters
from learners.hr.services import export_job_start, export_jobs_purge
from learners.models import Enrolment, HROfficerRole
from tests.factories import HROfficerRoleFactory, UserFactory, make_course

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _tasks_run_at_commit(monkeypatch):
    """Test transactions never commit; run what waits for the commit at once, as the
    immediate backend would just after a real one."""
    monkeypatch.setattr(
        "django.db.transaction.on_commit", lambda func, using=None, robust=False: func()
    )


@pytest.fixture
def table(orgs, depts, people):
    """Two courses for the three people (one of them outside the metro scope), a formula name."""
    courses = [make_course(modules=1, lessons_per_module=1).course for _ in range(2)]
    evil = UserFactory(organisation=orgs["b"], full_name="=cmd|' /C calc'!A0", job_title="@SUM(1)")
    for person in [people["a"], people["b"], people["c"], evil]:
        for course in courses:
            Enrolment.objects.create(
                user=person,
                course=course,
                course_title=course.title,
                completed_at=timezone.now() if person is evil else None,
            )
    return courses


def _direct_csv(client, query=""):
    response = client.get("/en/hr/export.csv" + query)
    assert response.status_code == 200 and response.streaming
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))


def _download(client, job):
    response = client.get(reverse("hr_export_download", args=[download_token(job.pk)]))
    assert response.status_code == 200
    return b"".join(response.streaming_content)


TYPES = EXPORT_COLUMN_TYPES


def _as_csv_text(value, kind) -> str:
    """A typed workbook cell as the CSV writes it."""
    if value is None:
        return ""
    if kind == "date" and hasattr(value, "date"):
        return value.date().isoformat()
    if kind == "percent" and not isinstance(value, str):
        return str(round(value * 100))
    if kind == "score" and not isinstance(value, str):
        return f"{value * 100:.1f}"
    return str(value)


def test_task_csv_has_the_same_rows_as_the_direct_export(client, officer_metro, table):
    client.force_login(officer_metro)
    direct = _direct_csv(client, "?sort=course")
    response = client.post("/en/hr/exports/", {"format": "xlsx", "sort": "course"})
    assert response.status_code == 302
    job = ExportJob.objects.get()
    # The immediate backend ran the task once the request's transaction committed.
    assert job.status == ExportStatus.DONE and job.progress == 100
    assert job.row_count == job.total_rows == len(direct) - 1 == 6  # City C is out of scope
    assert job.filters == {"sort": "course"}
    sheet = load_workbook(io.BytesIO(_download(client, job))).active
    cells = [
        [_as_csv_text(v, kind) for v, kind in zip(row, TYPES, strict=True)]
        for row in sheet.iter_rows(values_only=True)
    ]
    # The same values, typed in the workbook (dates as dates, percentages as fractions).
    assert cells[0] == direct[0]
    assert cells[1:] == direct[1:]
    # Formula cells are neutralised in both.
    assert any(row[0] == "'=cmd|' /C calc'!A0" and row[4] == "'@SUM(1)" for row in cells)
    # And a CSV built by the task matches the streamed one byte for byte (bar the date).
    csv_job = export_job_start(
        requester=officer_metro, filters=HRFilters(sort="course"), format="csv"
    )
    csv_job.refresh_from_db()
    streamed = list(csv.reader(io.StringIO(_download(client, csv_job).decode("utf-8-sig"))))
    assert streamed == direct


def test_large_csv_becomes_a_task_small_one_streams(client, officer_metro, table, monkeypatch):
    client.force_login(officer_metro)
    assert client.post("/en/hr/exports/", {"format": "csv"}).streaming  # 6 rows: at once
    monkeypatch.setattr(exports, "DIRECT_EXPORT_MAX_ROWS", 5)
    monkeypatch.setattr("learners.hr.views.DIRECT_EXPORT_MAX_ROWS", 5)
    response = client.get(f"/en/hr/export.csv?course={table[0].pk}")
    assert response.status_code == 200  # 3 rows still stream
    response = client.get("/en/hr/export.csv")
    # A GET queues nothing: it lands on the exports page, which asks to confirm with a POST.
    assert response.status_code == 302 and response["Location"].startswith("/en/hr/exports/?")
    assert ExportJob.objects.count() == 0
    page = client.get(response["Location"]).content.decode()
    assert "Prepare the export" in page and "6 rows" in page
    response = client.post("/en/hr/exports/", {"format": "csv"})
    assert response.status_code == 302
    assert ExportJob.objects.get().status == ExportStatus.DONE


def test_xlsx_link_always_goes_to_the_background(client, officer_a, table):
    client.force_login(officer_a)
    response = client.get("/en/hr/export.xlsx?sort=course")
    assert response.status_code == 302
    assert "format=xlsx" in response["Location"] and "sort=course" in response["Location"]


def test_progress_is_recorded_and_shown(client, officer_metro, table, monkeypatch):
    monkeypatch.setattr(exports, "PROGRESS_EVERY", 2)
    seen = []
    job = ExportJob.objects.create(requester=officer_metro, format="csv")
    real_update = type(ExportJob.objects.all()).update

    def update(self, **kwargs):
        if "progress" in kwargs:
            seen.append((kwargs["row_count"], kwargs["progress"]))
        return real_update(self, **kwargs)

    monkeypatch.setattr(type(ExportJob.objects.all()), "update", update)
    client.force_login(officer_metro)
    page = client.get("/en/hr/exports/").content.decode()
    assert "Waiting to start" in page and "<progress" in page and "hr-exports.js" in page
    status = client.get("/en/hr/exports/status/").json()["jobs"][0]
    assert status["pending"] and status["download_url"] == ""
    export_job_run(job_id=job.pk)
    assert seen[:3] == [(2, 33), (4, 66), (6, 99)]
    job.refresh_from_db()
    assert (job.status, job.progress, job.row_count) == (ExportStatus.DONE, 100, 6)
    status = client.get("/en/hr/exports/status/").json()["jobs"][0]
    assert not status["pending"] and status["download_url"].startswith("/en/hr/exports/download/")
    page = client.get("/en/hr/exports/").content.decode()
    assert "6 of 6 rows" in page and "Download" in page and "hr-exports.js" not in page


def test_only_the_requester_downloads(client, officer_metro, officer_a, people, orgs, table):
    job = export_job_start(requester=officer_metro, filters=HRFilters(), format="xlsx")
    url = reverse("hr_export_download", args=[download_token(job.pk)])
    assert client.get(url).status_code == 404  # anonymous: nothing confirms it exists
    client.force_login(people["a"])
    assert client.get(url).status_code == 403  # a learner
    client.force_login(officer_a)
    assert client.get(url).status_code == 404  # another HR officer
    assert client.get("/en/hr/exports/status/").json() == {"jobs": []}
    assert "Download" not in client.get("/en/hr/exports/").content.decode()
    other = HROfficerRoleFactory(organisation=orgs["metro"]).user  # same scope, still not theirs
    client.force_login(other)
    assert client.get(url).status_code == 404
    client.force_login(officer_metro)
    assert client.get(url).status_code == 200
    forged = url.replace(str(job.pk) + ":", str(job.pk + 1) + ":")
    assert client.get(forged).status_code == 404


def test_expired_links_and_files_are_refused(client, officer_metro, table):
    job = export_job_start(requester=officer_metro, filters=HRFilters(), format="csv")
    client.force_login(officer_metro)
    with time_machine.travel(timezone.now() - timedelta(hours=2), tick=False):
        old_link = reverse("hr_export_download", args=[download_token(job.pk)])
    assert client.get(old_link).status_code == 404  # signed two hours ago: link expired
    fresh = reverse("hr_export_download", args=[download_token(job.pk)])
    assert client.get(fresh).status_code == 200
    ExportJob.objects.filter(pk=job.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    assert client.get(fresh).status_code == 404  # the file itself is past its retention


def test_task_applies_scope_when_it_runs(client, officer_a, orgs, table):
    job = ExportJob.objects.create(requester=officer_a, format="csv", filters={})
    HROfficerRole.objects.filter(user=officer_a).delete()
    export_job_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == ExportStatus.FAILED and not job.file
    # A filter naming an organisation the requester no longer tracks fails too.
    HROfficerRoleFactory(user=officer_a, organisation=orgs["a"])
    job = ExportJob.objects.create(
        requester=officer_a, format="csv", filters={"organisation": str(orgs["b"].pk)}
    )
    export_job_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == ExportStatus.FAILED


def test_out_of_scope_filter_on_post_is_404(client, officer_a, orgs, table):
    client.force_login(officer_a)
    assert (
        client.post("/en/hr/exports/", {"format": "xlsx", "organisation": orgs["b"].pk}).status_code
        == 404
    )
    assert client.post("/en/hr/exports/", {"format": "pdf"}).status_code == 302
    assert ExportJob.objects.count() == 0


def test_learner_and_anonymous_cannot_reach_exports(client, people):
    assert client.get("/en/hr/exports/").status_code == 302  # to the login page
    assert client.post("/en/hr/exports/", {"format": "xlsx"}).status_code == 302
    client.force_login(people["a"])
    assert client.get("/en/hr/exports/").status_code == 403
    assert client.get("/en/hr/exports/status/").status_code == 403
    assert client.post("/en/hr/exports/", {"format": "xlsx"}).status_code == 403
    assert ExportJob.objects.count() == 0


def test_purge_removes_old_files(officer_metro, table):
    job = export_job_start(requester=officer_metro, filters=HRFilters(), format="csv")
    job.refresh_from_db()
    storage, name = job.file.storage, job.file.name
    assert storage.exists(name)
    assert export_jobs_purge() == 0
    out = io.StringIO()
    with time_machine.travel(timezone.now() + timedelta(hours=25)):
        call_command("purge_hr_exports", stdout=out)
    assert "1 HR exports purged" in out.getvalue()
    assert not storage.exists(name) and not ExportJob.objects.exists()
