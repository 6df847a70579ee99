"""A learner finishes a course (by its last lesson, or by passing its final assessment), finds
the certificate, downloads it and anyone can verify it."""

import io
import re

import pytest
from pypdf import PdfReader

from courses.models import CompletionRule
from learners.models import AttemptStatus, Certificate, QuizAttempt
from learners.progress.services import enrolment_create, lesson_complete
from tests.browser.conftest import answer_quiz, assert_accessible, log_in
from tests.factories import PASSWORD, UserFactory, complete_course, make_course, make_quiz

# serialized_rollback keeps Wagtail's root page, which the live server's flush would remove.
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_certificate_journey(page, live_server):
    tree = make_course(
        modules=1,
        lessons_per_module=2,
        title="Città e reti: Ελληνικά и кириллица",
        certificate_validity_months=24,
    )
    learner = UserFactory(email="zoe@example.org", full_name="Zoë Núñez-Kovalenko")
    enrolment, _ = enrolment_create(user=learner, course=tree.course)
    lesson_complete(user=learner, enrolment=enrolment, lesson=tree.lessons[0])

    log_in(page, learner.email, PASSWORD)
    page.goto(tree.lessons[-1].url)
    assert_accessible(page, context="last lesson")
    page.get_by_role("button", name="Mark as complete").click()
    page.wait_for_load_state()

    page.goto("/en/learn/")
    certificates = page.locator("section.certificates")
    certificates.get_by_role("heading", name=re.compile("Città e reti")).wait_for()
    assert certificates.get_by_text("Valid", exact=True).count() == 1
    assert page.locator("button.copy-link").first.is_visible()  # enhanced on localhost
    assert_accessible(page, context="/en/learn/ with a certificate")

    with page.expect_download() as download_info:
        certificates.get_by_role("link", name=re.compile("Download PDF")).click()
    with open(download_info.value.path(), "rb") as handle:
        content = handle.read()
    assert content.startswith(b"%PDF")
    text = PdfReader(io.BytesIO(content)).pages[0].extract_text()
    assert "Zoë Núñez-Kovalenko" in text

    verify_href = certificates.get_by_role(
        "link", name=re.compile("Verification page")
    ).get_attribute("href")
    code = verify_href.rstrip("/").rsplit("/", 1)[-1]
    assert code in text

    page.get_by_role("button", name="Log out").click()
    page.wait_for_load_state()
    page.goto(verify_href)
    assert page.get_by_text("This certificate is genuine and valid.").is_visible()
    assert page.get_by_text("Zoë Núñez-Kovalenko").is_visible()
    assert_accessible(page, context="verification page, logged out")

    # Typing the code by hand, in lower case and without dashes, finds the same certificate.
    page.goto("/en/certificates/verify/")
    assert_accessible(page, context="verification form")
    page.get_by_label("Verification code").fill(code.replace("-", "").lower())
    page.get_by_role("button", name="Check the certificate").click()
    page.get_by_text("This certificate is genuine and valid.").wait_for()

    page.goto("/en/certificates/verify/NOT-A-REAL-CODE/")
    assert page.get_by_role("heading", name="No certificate with this code").is_visible()
    assert_accessible(page, context="unknown code")


def test_final_assessment_certificate_journey(page, live_server):
    """The issue's journey: the learner has done every lesson, passes the required final
    assessment in the browser, and the certificate it earns records that score."""
    tree = make_course(
        modules=1,
        lessons_per_module=2,
        title="Gobernanza local: Ελληνικά и кириллица",
        certificate_validity_months=24,
        completion_rule=CompletionRule.LESSONS_AND_QUIZZES,
    )
    final = make_quiz(
        tree.course,
        questions=5,
        title="Final assessment",
        pass_mark=70,
        attempts_allowed=3,
        required_for_completion=True,
    )
    learner = UserFactory(email="ines@example.org", full_name="Inés Øster-Kovač")
    enrolment = complete_course(learner, tree)
    # The lessons alone do not complete the course: the final assessment is still required.
    assert enrolment.completed_at is None
    assert not Certificate.objects.filter(user=learner).exists()

    log_in(page, learner.email, PASSWORD)
    page.goto(final.url)
    page.get_by_role("heading", name="Final assessment").wait_for()
    assert_accessible(page, context="final assessment page")
    page.get_by_role("button", name="Start the quiz").click()
    page.get_by_role("button", name="Submit answers").wait_for()
    assert_accessible(page, context="taking the final assessment")
    attempt = QuizAttempt.objects.get(user=learner, quiz=final, status=AttemptStatus.OPEN)
    answer_quiz(page, attempt, right=True)
    page.get_by_role("button", name="Submit answers").click()
    page.get_by_text("Passed. The pass mark is 70%.").wait_for()
    assert_accessible(page, context="final assessment result (passed)")

    attempt.refresh_from_db()
    assert attempt.passed and attempt.percent == 100
    certificate = Certificate.objects.get(user=learner, enrolment=enrolment)
    assert certificate.final_score == attempt.percent

    page.goto("/en/learn/")
    certificates = page.locator("section.certificates")
    row = certificates.locator("li.certificate-row").filter(
        has=page.get_by_role("heading", name=re.compile("Gobernanza local"))
    )
    row.wait_for()
    assert row.get_by_text("Valid", exact=True).count() == 1
    assert row.get_by_text("Final assessment: 100.0 %").count() == 1
    assert_accessible(page, context="/en/learn/ with the certificate")

    with page.expect_download() as download_info:
        row.get_by_role("link", name=re.compile("Download PDF")).click()
    with open(download_info.value.path(), "rb") as handle:
        content = handle.read()
    assert content.startswith(b"%PDF")
    text = PdfReader(io.BytesIO(content)).pages[0].extract_text()
    assert "Inés Øster-Kovač" in text

    verify_href = row.get_by_role("link", name=re.compile("Verification page")).get_attribute(
        "href"
    )
    # The score is the holder's to publish: opt in from the certificate list.
    row.get_by_label(re.compile("Show my score")).check()
    row.get_by_role("button", name=re.compile("^Save")).click()
    page.get_by_text("now shows your score").wait_for()
    assert row.get_by_label(re.compile("Show my score")).is_checked()
    assert_accessible(page, context="/en/learn/ after publishing the score")
    page.get_by_role("button", name="Log out").click()
    page.wait_for_load_state()
    page.goto(verify_href)
    status = page.get_by_role("status").filter(has_text="genuine")
    assert status.get_by_text("Valid", exact=True).is_visible()
    assert page.get_by_text("This certificate is genuine and valid.").is_visible()
    assert page.get_by_text("Inés Øster-Kovač").is_visible()
    assert page.get_by_text("100.0 %", exact=True).is_visible()  # the final assessment score
    assert page.get_by_role("button", name="Log out").count() == 0  # really logged out
    assert_accessible(page, context="verification page, logged out")
