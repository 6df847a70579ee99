"""The HR officer's journey: dashboard with charts, overdue filter, a learner, an assignment,
the CSV download; axe finds nothing serious on any page."""

from datetime import timedelta

import pytest
from django.utils import timezone

from learners.models import (
    AssignedLearner,
    Assignment,
    AssignmentTarget,
    Enrolment,
    HROfficerRole,
)
from tests.browser.conftest import assert_accessible, log_in
from tests.factories import (
    PASSWORD,
    DepartmentFactory,
    OrganisationFactory,
    UserFactory,
    make_certificate,
    make_course,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def hr_world():
    metro = OrganisationFactory(name="Metropolitan Government of Nova Aurelia")
    town = OrganisationFactory(name="Municipality of Port Esmer", parent=metro)
    planning = DepartmentFactory(organisation=town, name="Urban Planning")
    culture = DepartmentFactory(organisation=town, name="Culture")
    officer = UserFactory(email="hr@example.org", full_name="Hana Rezaei", organisation=metro)
    HROfficerRole.objects.create(user=officer, organisation=metro)
    course = make_course(title="Integrity and anti-corruption").course
    other_course = make_course(title="Data protection essentials").course
    today = timezone.localdate()
    late = UserFactory(full_name="Lena Late", organisation=town, department=planning)
    done = UserFactory(full_name="Dora Done", organisation=town, department=culture)
    assignment = Assignment.objects.create(
        course=course,
        course_title=course.title,
        organisation=town,
        target=AssignmentTarget.ORGANISATION,
        due_on=today - timedelta(days=7),
    )
    for person in (late, done):
        Enrolment.objects.create(user=person, course=course, course_title=course.title)
        AssignedLearner.objects.create(assignment=assignment, user=person, due_on=assignment.due_on)
    finished = Enrolment.objects.get(user=done)
    Enrolment.objects.filter(pk=finished.pk).update(completed_at=timezone.now())
    finished.refresh_from_db()
    make_certificate(finished, expires_on=today + timedelta(days=20))
    return {"officer": officer, "late": late, "other_course": other_course, "culture": culture}


def test_hr_officer_journey(page, hr_world, tmp_path):
    log_in(page, "hr@example.org", PASSWORD)
    page.goto("/en/hr/")
    assert page.get_by_role("heading", name="HR dashboard", level=1).is_visible()
    assert page.locator("figure.hr-chart").count() == 3
    assert page.locator("svg.column-chart[role=img]").count() == 1
    assert page.get_by_role("link", name="HR", exact=True).is_visible()
    assert_accessible(page, context="HR dashboard")

    page.get_by_label("Status", exact=True).select_option("overdue")
    page.get_by_role("button", name="Apply filters").click()
    table = page.locator("table.hr-table")
    assert table.get_by_text("Lena Late").is_visible()
    assert table.get_by_text("Dora Done").count() == 0
    assert_accessible(page, context="HR dashboard filtered to overdue")

    table.get_by_role("link", name="Lena Late").click()
    assert page.get_by_role("heading", name="Lena Late", level=1).is_visible()
    assert_accessible(page, context="HR learner detail")

    page.goto("/en/hr/assignments/new/")
    page.get_by_label("Course", exact=True).select_option(label="Data protection essentials")
    page.get_by_label("Organisation", exact=True).select_option(label="Municipality of Port Esmer")
    page.get_by_label("A department").check()
    page.get_by_label("Department", exact=True).select_option(
        label="Culture — Municipality of Port Esmer"
    )
    due = (timezone.localdate() + timedelta(days=30)).isoformat()
    page.get_by_label("Due date", exact=True).fill(due)
    assert_accessible(page, context="HR assignment form")
    page.get_by_role("button", name="Assign the course").click()
    assert page.get_by_text("is assigned").is_visible()
    assert page.get_by_role("link", name="Data protection essentials").is_visible()
    assert_accessible(page, context="HR assignments")
    assert Enrolment.objects.filter(
        user__full_name="Dora Done", course=hr_world["other_course"]
    ).exists()

    page.goto("/en/hr/")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download CSV").click()
    target = tmp_path / "hr.csv"
    download_info.value.save_as(target)
    text = target.read_text(encoding="utf-8-sig")
    assert text.splitlines()[0].startswith("Name,E-mail")
    assert "Lena Late" in text and "Dora Done" in text
