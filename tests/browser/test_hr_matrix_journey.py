"""The HR officer opens the compliance matrix from the dashboard, filters it, scrolls it inside
its own region on a phone and downloads it; axe finds nothing serious."""

from datetime import timedelta

import pytest
from django.utils import timezone

from learners.models import AssignedLearner, Assignment, AssignmentTarget, Enrolment, User
from tests.browser.conftest import PHONE, assert_accessible, log_in
from tests.browser.test_hr_journey import hr_world  # noqa: F401 (the same small organisation)
from tests.factories import PASSWORD, make_course

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def matrix_world(hr_world):  # noqa: F811
    """Two more assigned courses for Lena, so the matrix is wider than a phone."""
    today = timezone.localdate()
    lena = hr_world["late"]
    for title in ("Procurement basics", "Records management"):
        course = make_course(title=title, modules=1, lessons_per_module=1).course
        assignment = Assignment.objects.create(
            course=course,
            course_title=title,
            organisation=lena.organisation,
            target=AssignmentTarget.INDIVIDUALS,
            due_on=today + timedelta(days=40),
        )
        Enrolment.objects.create(user=lena, course=course, course_title=title)
        AssignedLearner.objects.create(assignment=assignment, user=lena, due_on=assignment.due_on)
    return hr_world


def test_compliance_matrix_journey(page, matrix_world, tmp_path):
    log_in(page, "hr@example.org", PASSWORD)
    page.goto("/en/hr/")
    page.get_by_role("link", name="compliance matrix", exact=True).click()
    assert page.get_by_role("heading", name="Compliance matrix", level=1).is_visible()
    table = page.locator("table.matrix-table")
    assert table.locator("caption").is_visible()
    lena = table.locator("tr", has=page.get_by_role("link", name="Lena Late"))
    dora = table.locator("tr", has=page.get_by_role("link", name="Dora Done"))
    assert lena.get_by_text("Overdue").is_visible()
    assert dora.get_by_text("Certificate expiring").is_visible()
    assert dora.get_by_text("Not assigned").first.is_visible()
    assert_accessible(page, context="HR compliance matrix")

    # At 390 px the table scrolls inside its framed region, which the keyboard reaches.
    page.set_viewport_size(PHONE)
    region = page.get_by_role("region", name="Compliance matrix")
    sizes = region.evaluate("el => [el.scrollWidth, el.clientWidth]")
    assert sizes[0] > sizes[1]
    region.focus()
    assert page.evaluate("document.activeElement.classList.contains('matrix-scroll')")
    page.keyboard.press("ArrowRight")
    page.set_viewport_size({"width": 1280, "height": 900})

    page.get_by_label("Status", exact=True).select_option("overdue")
    page.get_by_role("button", name="Apply filters").click()
    assert table.get_by_role("link", name="Lena Late").is_visible()
    assert table.get_by_role("link", name="Dora Done").count() == 0
    assert_accessible(page, context="HR compliance matrix filtered to overdue")

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download CSV").click()
    target = tmp_path / "matrix.csv"
    download_info.value.save_as(target)
    lines = target.read_text(encoding="utf-8-sig").splitlines()
    assert lines[0].startswith("Name,E-mail,Organisation,Department,")
    assert len(lines) == 2 and lines[1].startswith("Lena Late,")
    assert User.objects.filter(full_name="Lena Late").exists()
