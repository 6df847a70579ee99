"""The compliance matrix: people in scope × their assigned courses, filters, scope, exports and
a query count that does not grow with the data."""

import csv
import io
from datetime import timedelta

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from learners.hr.exports import download_token
from learners.hr.matrix import MatrixFilters, hr_compliance_matrix
from learners.hr.models import ExportJob, ExportStatus
from learners.models import AssignedLearner, Assignment, AssignmentTarget, Enrolment
from tests.factories import DepartmentFactory, UserFactory, make_certificate, make_course

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _tasks_run_at_commit(monkeypatch):
    monkeypatch.setattr(
        "django.db.transaction.on_commit", lambda func, using=None, robust=False: func()
    )


def _assign(course, org, users, due_on):
    assignment = Assignment.objects.create(
        course=course,
        course_title=course.title,
        organisation=org,
        target=AssignmentTarget.INDIVIDUALS,
        due_on=due_on,
    )
    for user in users:
        AssignedLearner.objects.create(assignment=assignment, user=user, due_on=due_on)
    return assignment


@pytest.fixture
def grid(orgs, people):
    """Ana (A): Privacy certified (expires in a year), Ethics overdue. Bea (B): Privacy in
    progress, Ethics not assigned. Cid (City C, out of the metro's scope): Privacy assigned.
    Dan (A): only enrolled in Ethics by himself, nothing assigned (not in the matrix)."""
    today = timezone.localdate()
    privacy = make_course(modules=1, lessons_per_module=1, title="Privacy").course
    ethics = make_course(modules=1, lessons_per_module=1, title="Ethics").course
    dan = UserFactory(full_name="Dan A", organisation=orgs["a"])
    now = timezone.now()
    ana_privacy = Enrolment.objects.create(
        user=people["a"], course=privacy, course_title="Privacy", completed_at=now
    )
    make_certificate(ana_privacy, expires_on=today + timedelta(days=365))
    Enrolment.objects.create(user=people["a"], course=ethics, course_title="Ethics")
    Enrolment.objects.create(
        user=people["b"], course=privacy, course_title="Privacy", last_activity_at=now
    )
    Enrolment.objects.create(user=people["c"], course=privacy, course_title="Privacy")
    Enrolment.objects.create(user=dan, course=ethics, course_title="Ethics")
    _assign(privacy, orgs["a"], [people["a"]], today + timedelta(days=30))
    _assign(privacy, orgs["b"], [people["b"]], today + timedelta(days=20))
    _assign(ethics, orgs["a"], [people["a"]], today - timedelta(days=2))
    _assign(privacy, orgs["c"], [people["c"]], today + timedelta(days=5))
    return {"privacy": privacy, "ethics": ethics, "today": today, "dan": dan}


def _cells(matrix):
    titles = [title for _id, title in matrix.courses]
    return {
        row.person.full_name: {
            title: cell.label for title, cell in zip(titles, row.cells, strict=True)
        }
        for row in matrix.rows
    }


def test_matrix_has_people_in_scope_and_their_assigned_courses(officer_metro, people, grid):
    matrix = hr_compliance_matrix(officer_metro, MatrixFilters(), today=grid["today"])
    assert [title for _id, title in matrix.courses] == ["Ethics", "Privacy"]
    assert _cells(matrix) == {
        "Ana A": {"Ethics": "Overdue", "Privacy": "Certified"},
        "Bea B": {"Ethics": "Not assigned", "Privacy": "In progress"},
    }
    ana = matrix.rows[0]
    assert ana.cells[0].due_on == grid["today"] - timedelta(days=2)
    assert ana.cells[1].expires_on == grid["today"] + timedelta(days=365)


def test_matrix_filters(officer_metro, orgs, depts, people, grid):
    today = grid["today"]

    def names(**kwargs):
        matrix = hr_compliance_matrix(officer_metro, MatrixFilters(**kwargs), today=today)
        return sorted(row.person.full_name for row in matrix.rows)

    assert names(status="overdue") == ["Ana A"]
    assert names(status="in_progress") == ["Bea B"]
    assert names(status="overdue", course=grid["privacy"].pk) == []
    assert names(course=grid["ethics"].pk) == ["Ana A"]
    assert names(department=depts["b"].pk) == ["Bea B"]
    assert names(organisation=orgs["a"].pk) == ["Ana A"]
    assert names(q="bea") == ["Bea B"]
    only_ethics = hr_compliance_matrix(
        officer_metro, MatrixFilters(course=grid["ethics"].pk), today=today
    )
    assert [title for _id, title in only_ethics.courses] == ["Ethics"]


def test_page_shows_labels_colours_and_accessible_table(client, officer_metro, people, grid):
    client.force_login(officer_metro)
    response = client.get(reverse("hr_matrix"))
    assert response.status_code == 200
    html = response.content.decode()
    assert '<caption id="matrix-caption">' in html
    assert 'role="region" aria-labelledby="matrix-caption" tabindex="0"' in html
    assert '<th scope="col">Privacy</th>' in html and '<th scope="row">' in html
    assert 'class="matrix-cell cell-danger"' in html and "Overdue" in html
    assert 'class="matrix-cell cell-ok"' in html and "Certified" in html
    assert 'class="matrix-cell cell-na"' in html and "Not assigned" in html
    assert "due <time" in html and "expires <time" in html
    assert "Cid C" not in html and "Dan A" not in html
    # Linked from the dashboard.
    assert reverse("hr_matrix") in client.get(reverse("hr_dashboard")).content.decode()


def test_roles_and_scope(client, officer_a, people, orgs, depts, grid):
    url = reverse("hr_matrix")
    assert client.get(url).status_code == 302  # anonymous: to the login page
    assert "/accounts/login/" in client.get(url)["Location"]
    client.force_login(people["a"])  # a learner
    assert client.get(url).status_code == 403
    assert client.get(reverse("hr_matrix_export_csv")).status_code == 403
    client.force_login(officer_a)
    html = client.get(url).content.decode()
    assert "Ana A" in html and "Bea B" not in html
    # Another organisation's department, organisation or a nonsense id.
    assert client.get(url, {"department": depts["b"].pk}).status_code == 404
    assert client.get(url, {"organisation": orgs["c"].pk}).status_code == 404
    assert (
        client.get(reverse("hr_matrix_export_csv"), {"organisation": orgs["b"].pk}).status_code
        == 404
    )
    response = client.get(url, {"department": "abc"})
    assert response.status_code == 200 and "not understood" in response.content.decode()
    assert client.get(reverse("hr_matrix_export_csv"), {"department": "abc"}).status_code == 400


def _csv(response):
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))


def test_csv_export(client, officer_metro, people, grid):
    people["b"].full_name = "=HYPERLINK(1)"
    people["b"].save()
    client.force_login(officer_metro)
    rows = _csv(client.get(reverse("hr_matrix_export_csv")))
    assert rows[0] == [
        "Name",
        "E-mail",
        "Organisation",
        "Department",
        "Ethics: status",
        "Ethics: due",
        "Ethics: certificate expires",
        "Privacy: status",
        "Privacy: due",
        "Privacy: certificate expires",
    ]
    by_name = {row[0]: row for row in rows[1:]}
    today = grid["today"]
    assert by_name["Ana A"][4:] == [
        "Overdue",
        (today - timedelta(days=2)).isoformat(),
        "",
        "Certified",
        (today + timedelta(days=30)).isoformat(),
        (today + timedelta(days=365)).isoformat(),
    ]
    assert by_name["'=HYPERLINK(1)"][4:7] == ["Not assigned", "", ""]


def test_xlsx_export_runs_in_the_background_and_is_typed(client, officer_metro, people, grid):
    client.force_login(officer_metro)
    response = client.get(reverse("hr_matrix_export_xlsx"))
    assert response.status_code == 302 and "report=matrix" in response["Location"]
    page = client.get(response["Location"]).content.decode()
    assert "The compliance matrix will hold 2 people" in page
    assert (
        client.post(reverse("hr_exports"), {"format": "xlsx", "report": "matrix"}).status_code
        == 302
    )
    job = ExportJob.objects.get()
    assert (job.report, job.status, job.row_count) == ("matrix", ExportStatus.DONE, 2)
    download = client.get(reverse("hr_export_download", args=[download_token(job.pk)]))
    sheet = load_workbook(io.BytesIO(b"".join(download.streaming_content))).active
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref == "A1:J1"
    assert all(cell.font.b for cell in sheet[1])
    ana = next(row for row in sheet.iter_rows(min_row=2) if row[0].value == "Ana A")
    assert ana[4].value == "Overdue"
    assert ana[5].value.date() == grid["today"] - timedelta(days=2)
    assert ana[5].number_format == "yyyy-mm-dd"
    assert ana[9].value.date() == grid["today"] + timedelta(days=365)
    assert ana[6].value is None
    # The exports page names the report.
    assert "Compliance matrix" in client.get(reverse("hr_exports")).content.decode()


def test_large_matrix_csv_goes_to_the_background(client, officer_metro, people, grid, monkeypatch):
    monkeypatch.setattr("learners.hr.views.DIRECT_EXPORT_MAX_ROWS", 1)
    client.force_login(officer_metro)
    response = client.get(reverse("hr_matrix_export_csv"))
    assert response.status_code == 302 and "report=matrix" in response["Location"]
    response = client.post(reverse("hr_exports"), {"format": "csv", "report": "matrix"})
    assert response.status_code == 302
    job = ExportJob.objects.get()
    assert (job.report, job.format, job.status, job.row_count) == ("matrix", "csv", "done", 2)


def _populate(org, courses, n, tag):
    dept = DepartmentFactory(organisation=org, name=f"{tag} dept")
    today = timezone.localdate()
    users = [
        UserFactory(organisation=org, department=dept, full_name=f"{tag} {i}") for i in range(n)
    ]
    for i, user in enumerate(users):
        for course in courses:
            enrolment = Enrolment.objects.create(
                user=user,
                course=course,
                course_title=course.title,
                completed_at=timezone.now() if i % 2 else None,
            )
            if i % 2:
                make_certificate(enrolment, expires_on=today + timedelta(days=i))
    for course in courses:
        _assign(course, org, users, today + timedelta(days=3))


def test_matrix_queries_do_not_grow(client, orgs, officer_metro, django_assert_max_num_queries):
    courses = [make_course(modules=1, lessons_per_module=1).course for _ in range(2)]
    _populate(orgs["a"], courses, 3, "small")
    client.force_login(officer_metro)
    client.get(reverse("hr_matrix"))  # warm what is cached across requests

    def count(url):
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    urls = [reverse("hr_matrix"), reverse("hr_matrix") + "?status=certified"]
    small = {url: count(url) for url in urls}
    _populate(
        orgs["b"], courses + [make_course(modules=1, lessons_per_module=1).course], 40, "large"
    )
    large = {url: count(url) for url in urls}
    assert small == large
    # Under the HR dashboard's budget (21, see test_hr_queries).
    with django_assert_max_num_queries(21):
        client.get(reverse("hr_matrix") + "?page=2")
