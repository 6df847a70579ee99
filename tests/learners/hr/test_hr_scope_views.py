"""Scope is absolute: who may open /hr/, and what each officer sees."""

import csv
import io
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone
from openpyxl import load_workbook

from learners.accounts.selectors import hr_scope_organisation_ids, user_in_hr_scope
from learners.models import AssignedLearner, Assignment, AssignmentTarget
from learners.progress.services import enrolment_create
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def enrolled(people, course_tree):
    for person in people.values():
        enrolment_create(user=person, course=course_tree.course)
    return people


@pytest.fixture
def assignment_c(orgs, depts, people, course_tree):
    assignment = Assignment.objects.create(
        course=course_tree.course,
        course_title="Course",
        organisation=orgs["c"],
        target=AssignmentTarget.DEPARTMENT,
        department=depts["c"],
        due_on=timezone.localdate() + timedelta(days=5),
    )
    AssignedLearner.objects.create(
        assignment=assignment, user=people["c"], due_on=assignment.due_on
    )
    return assignment


def _csv(response):
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(body)))


def _xlsx(response):
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def test_scope_covers_descendants_only(orgs, officer_a, officer_metro, people):
    assert hr_scope_organisation_ids(officer_a) == {orgs["a"].pk}
    assert hr_scope_organisation_ids(officer_metro) == {
        orgs["metro"].pk,
        orgs["a"].pk,
        orgs["b"].pk,
    }
    assert user_in_hr_scope(officer_metro, people["b"])
    assert not user_in_hr_scope(officer_a, people["b"])
    assert not user_in_hr_scope(officer_metro, people["c"])
    assert not user_in_hr_scope(people["a"], people["a"])  # a learner is nobody's HR


def test_officer_of_a_sees_only_a(client, officer_a, enrolled):
    client.force_login(officer_a)
    response = client.get("/en/hr/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Ana A" in html and "Bea B" not in html and "Cid C" not in html
    names = [row[0] for row in _csv(client.get("/en/hr/export.csv"))[1:]]
    assert names == ["Ana A"]
    # The workbook is built by a task (run at once here), scoped like the page.
    from django.urls import reverse

    from learners.hr.exports import download_token, export_job_run
    from learners.hr.models import ExportJob

    assert client.get("/en/hr/export.xlsx").status_code == 302
    job = ExportJob.objects.create(requester=officer_a, format="xlsx")
    export_job_run(job_id=job.pk)
    download = client.get(reverse("hr_export_download", args=[download_token(job.pk)]))
    assert [row[0] for row in _xlsx(download)[1:]] == ["Ana A"]


def test_metropolitan_officer_sees_both_municipalities(client, officer_metro, enrolled):
    client.force_login(officer_metro)
    html = client.get("/en/hr/").content.decode()
    assert "Ana A" in html and "Bea B" in html and "Cid C" not in html
    names = sorted(row[0] for row in _csv(client.get("/en/hr/export.csv"))[1:])
    assert names == ["Ana A", "Bea B"]


def test_out_of_scope_ids_give_404_everywhere(
    client, officer_a, enrolled, orgs, depts, assignment_c
):
    client.force_login(officer_a)
    other = enrolled["b"]
    for url in [
        f"/en/hr/learners/{other.pk}/",
        f"/en/hr/learners/{enrolled['c'].pk}/",
        "/en/hr/learners/999999/",
    ]:
        assert client.get(url).status_code == 404, url
    assert (
        client.post(f"/en/hr/learners/{other.pk}/department/", {"department": ""}).status_code
        == 404
    )
    for base in ["/en/hr/", "/en/hr/export.csv", "/en/hr/export.xlsx", "/en/hr/exports/"]:
        for query in [
            f"organisation={orgs['b'].pk}",
            f"organisation={orgs['metro'].pk}",
            f"department={depts['b'].pk}",
            f"assignment={assignment_c.pk}",
        ]:
            assert client.get(f"{base}?{query}").status_code == 404, (base, query)
    other.refresh_from_db()
    assert other.department == depts["b"]


def test_in_scope_filters_work(client, officer_metro, enrolled, orgs, depts):
    client.force_login(officer_metro)
    rows = _csv(client.get(f"/en/hr/export.csv?organisation={orgs['b'].pk}"))
    assert [row[0] for row in rows[1:]] == ["Bea B"]
    rows = _csv(client.get(f"/en/hr/export.csv?department={depts['a'].pk}"))
    assert [row[0] for row in rows[1:]] == ["Ana A"]
    rows = _csv(client.get("/en/hr/export.csv?q=bea"))
    assert [row[0] for row in rows[1:]] == ["Bea B"]
    rows = _csv(client.get("/en/hr/export.csv?status=not_started&sort=email"))
    assert len(rows) == 3
    assert client.get("/en/hr/?status=nonsense&sort=nonsense&page=abc&course=x").status_code == 200


@pytest.mark.parametrize(
    "url",
    [
        "/en/hr/",
        "/en/hr/export.csv",
        "/en/hr/export.xlsx",
        "/en/hr/exports/",
        "/en/hr/exports/status/",
        "/en/hr/assignments/",
        "/en/hr/assignments/new/",
    ],
)
def test_learners_and_trainers_get_403(client, url, people, db):
    trainer = UserFactory(is_staff=True)
    trainer.groups.add(Group.objects.get_or_create(name="Trainers")[0])
    for person in (people["a"], trainer):
        client.force_login(person)
        assert client.get(url).status_code == 403
    client.logout()
    response = client.get(url)
    assert response.status_code == 302 and "/en/accounts/login/" in response["Location"]


def test_learner_detail_403_for_learner(client, people):
    client.force_login(people["a"])
    assert client.get(f"/en/hr/learners/{people['a'].pk}/").status_code == 403


def test_learner_detail_shows_records(client, officer_a, enrolled, course_tree):
    from learners.models import Enrolment
    from tests.factories import make_certificate

    enrolment = Enrolment.objects.get(user=enrolled["a"])
    Enrolment.objects.filter(pk=enrolment.pk).update(completed_at=timezone.now())
    enrolment.refresh_from_db()
    certificate = make_certificate(enrolment)
    client.force_login(officer_a)
    html = client.get(f"/en/hr/learners/{enrolled['a'].pk}/").content.decode()
    assert f"/en/learn/certificates/{certificate.code}/pdf" in html
    assert "Certified" in html and "Transcript" in html


def test_hr_can_move_a_learner_between_departments(client, officer_a, people, orgs):
    from tests.factories import DepartmentFactory

    new_dept = DepartmentFactory(organisation=orgs["a"], name="Finance")
    client.force_login(officer_a)
    response = client.post(
        f"/en/hr/learners/{people['a'].pk}/department/", {"department": new_dept.pk}
    )
    assert response.status_code == 302
    people["a"].refresh_from_db()
    assert people["a"].department == new_dept
    # A department of another organisation is refused and changes nothing.
    response = client.post(f"/en/hr/learners/{people['a'].pk}/department/", {"department": 99999})
    people["a"].refresh_from_db()
    assert people["a"].department == new_dept


def test_superuser_sees_everything_and_hr_nav_link(client, enrolled, officer_a):
    admin = UserFactory(is_superuser=True, is_staff=True)
    client.force_login(admin)
    html = client.get("/en/hr/").content.decode()
    assert "Cid C" in html and "Ana A" in html
    client.force_login(officer_a)
    assert 'href="/en/hr/"' in client.get("/en/learn/").content.decode()
    client.force_login(enrolled["a"])
    assert 'href="/en/hr/"' not in client.get("/en/learn/").content.decode()


def test_admin_role_viewset_is_for_administrators(client, officer_a):
    admin = UserFactory(is_superuser=True, is_staff=True)
    client.force_login(admin)
    assert client.get("/admin/hr_roles/").status_code == 200
    assert client.get("/admin/hr_roles/new/").status_code == 200
    trainer = UserFactory(is_staff=True)
    from django.contrib.auth.models import Permission

    trainer.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(trainer)
    assert client.get("/admin/hr_roles/").status_code in (302, 403)
