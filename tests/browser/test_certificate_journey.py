"""A learner finishes a course, finds the certificate, downloads it and anyone can verify it."""

import io
import re

import pytest
from pypdf import PdfReader

from learners.services.enrolment import enrolment_create
from learners.services.progress import lesson_complete
from tests.browser.conftest import assert_accessible, log_in
from tests.factories import PASSWORD, UserFactory, make_course

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

    page.goto("/learn/")
    certificates = page.locator("section.certificates")
    certificates.get_by_role("heading", name=re.compile("Città e reti")).wait_for()
    assert certificates.get_by_text("Valid", exact=True).count() == 1
    assert page.locator("button.copy-link").first.is_visible()  # enhanced on localhost
    assert_accessible(page, context="/learn/ with a certificate")

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
    page.goto("/certificates/verify/")
    assert_accessible(page, context="verification form")
    page.get_by_label("Verification code").fill(code.replace("-", "").lower())
    page.get_by_role("button", name="Check the certificate").click()
    page.get_by_text("This certificate is genuine and valid.").wait_for()

    page.goto("/certificates/verify/NOT-A-REAL-CODE/")
    assert page.get_by_role("heading", name="No certificate with this code").is_visible()
    assert_accessible(page, context="unknown code")
