"""A visitor finds the toolkit from the home page and downloads a template; an enrolled learner
finds the same template in the lesson that teaches it; both pages pass axe."""

import io
from pathlib import Path

import pytest
from openpyxl import load_workbook

from cms.demo.site import load_site
from courses.models import LessonPage
from learners.progress.services import enrolment_create
from tests.browser.conftest import assert_accessible, log_in
from tests.factories import UserFactory, wagtail_roots

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_toolkit_from_home_page_to_download_and_in_the_lesson(page):
    # Another transactional test may have flushed the rows Wagtail's migrations create.
    wagtail_roots()
    site = load_site()
    page.goto("/")
    page.get_by_role("link", name="practitioner's toolkit").click()
    page.get_by_role("heading", level=1, name="Practitioner's toolkit").wait_for()
    assert_accessible(page, context="toolkit page")
    link = page.get_by_role("link", name="Partner scoring sheet (XLSX file")
    with page.expect_download() as download_info:
        link.click()
    download = download_info.value
    assert download.suggested_filename.startswith("partner-scoring-sheet")
    workbook = load_workbook(io.BytesIO(Path(download.path()).read_bytes()))
    assert "Scoring" in workbook.sheetnames

    learner = UserFactory(email="toolkit.learner@example.org")
    learner.set_password("a long test password")
    learner.save()
    enrolment_create(user=learner, course=site["course"])
    log_in(page, "toolkit.learner@example.org", "a long test password")
    page.goto(LessonPage.objects.get(slug="diagnosis").url)
    page.get_by_role("heading", name="Put it into practice").wait_for()
    assert page.get_by_role("link", name="SWOT analysis for international action").count() == 1
    assert_accessible(page, context="lesson with downloads")
