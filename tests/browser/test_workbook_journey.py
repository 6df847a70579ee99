"""A learner fills two workbook sections, reloads, submits; a trainer asks for a revision; the
learner reads the feedback and resubmits. axe checks the learner's pages."""

import pytest

from learners.models import SubmissionStatus, WorkbookSubmission
from learners.progress.services import enrolment_create
from tests.browser.conftest import assert_accessible, log_in
from tests.factories import PASSWORD, UserFactory, make_course, make_workbook

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_fill_reload_submit_review_resubmit(page, browser, live_server):
    tree = make_course(modules=1, lessons_per_module=1)
    workbook = make_workbook(tree.course, title="Draft your action plan")
    learner = UserFactory(email="learner@example.org", full_name="Lucía Learner")
    enrolment_create(user=learner, course=tree.course)
    UserFactory(email="trainer@example.org", is_superuser=True, is_staff=True)

    log_in(page, learner.email, PASSWORD)
    page.goto(workbook.url)
    page.get_by_role("link", name="Open and fill in your workbook").click()
    page.get_by_role("button", name="Save draft").wait_for()
    assert_accessible(page, context="workbook form")
    page.get_by_label("Assets and existing ties").fill("A port and two universities.")
    page.locator("#f-fld-scoring-0-name").fill("Eurocities")
    page.locator("#f-fld-scoring-0-s0").fill("4")
    page.locator("#f-fld-scoring-0-s1").fill("2")
    page.get_by_role("button", name="Save draft").click()
    page.get_by_text("Last saved").first.wait_for()
    page.reload()
    assert page.get_by_label("Assets and existing ties").input_value() == (
        "A port and two universities."
    )
    assert page.locator("#f-fld-scoring-0-name").input_value() == "Eurocities"
    assert page.get_by_text("10 / 15").count() == 1  # 4×2 + 2×1 of at most 15
    page.get_by_role("button", name="Save and submit for review").click()
    page.get_by_text("Awaiting review").first.wait_for()
    assert_accessible(page, context="submitted version")

    trainer_context = browser.new_context(base_url=live_server.url, locale="en-GB")
    trainer = trainer_context.new_page()
    log_in(trainer, "trainer@example.org", PASSWORD)
    trainer.goto("/admin/workbook-reviews/")
    trainer.get_by_role("link", name="Lucía Learner").click()
    trainer.get_by_text("A port and two universities.").wait_for()
    trainer.get_by_label("Sound (2 points)").check()
    trainer.get_by_label("Unclear (0 points)").check()
    trainer.get_by_label("Feedback on “Partners”").fill("Add a second partner to compare.")
    trainer.get_by_role("button", name="Ask for revision and resubmission").click()
    trainer.get_by_role("heading", name="Workbooks in your courses").wait_for()
    trainer_context.close()
    assert WorkbookSubmission.objects.get().status == SubmissionStatus.REVISE

    page.reload()
    page.get_by_text("Add a second partner to compare.").wait_for()
    assert page.get_by_text("Revise and resubmit").count() >= 1
    assert_accessible(page, context="reviewed version")
    page.get_by_role("link", name="Revise your workbook").click()
    page.locator("#f-fld-scoring-1-name").fill("Metropolis")
    page.locator("#f-fld-scoring-1-s0").fill("3")
    page.get_by_role("button", name="Save and submit for review").click()
    page.get_by_text("Version 2, submitted").wait_for()
    assert WorkbookSubmission.objects.filter(status=SubmissionStatus.SUBMITTED).count() == 1
    assert WorkbookSubmission.objects.get(number=2).answers["fld-scoring"][1]["name"] == (
        "Metropolis"
    )
