"""The demo's capstone: the workbook page, its rubric and two demo plans, loaded idempotently."""

import io

import pytest
from django.core.management import call_command

from cms.demo.workbook import SLUG, TITLE
from courses.models import WorkbookPage
from courses.selectors.workbooks import workbook_spec
from learners.models import SubmissionStatus, Workbook, WorkbookSubmission

pytestmark = pytest.mark.django_db


def test_load_demo_builds_the_capstone_with_a_submitted_and_an_accepted_plan():
    call_command("load_demo", stdout=io.StringIO())
    page = WorkbookPage.objects.get(slug=SLUG)
    assert page.title == TITLE and page.live
    spec = workbook_spec(page)
    headings = [s["heading"] for s in spec["sections"]]
    assert len(headings) == 8 and headings[0].startswith("Diagnosis")
    assert len(spec["rubric"]) == 4
    statuses = sorted(WorkbookSubmission.objects.values_list("status", flat=True))
    assert statuses == [SubmissionStatus.ACCEPTED, SubmissionStatus.SUBMITTED]
    accepted = WorkbookSubmission.objects.get(status=SubmissionStatus.ACCEPTED)
    assert accepted.score and accepted.reviewer is not None

    call_command("load_demo", stdout=io.StringIO())
    # One workbook, and its Spanish translation (cms/demo/translations.py).
    assert WorkbookPage.objects.filter(locale__language_code="en").count() == 1
    assert WorkbookPage.objects.filter(locale__language_code="es").count() == 1
    assert Workbook.objects.count() == 2 and WorkbookSubmission.objects.count() == 2
