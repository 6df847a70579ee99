"""The Content-Security-Policy breaks nothing: no violation on the site's pages (strict
policy), none in the Wagtail admin (its scoped policy), and the page editor still saves."""

import pytest

from learners.progress.services import enrolment_create
from tests.browser.conftest import log_in
from tests.factories import PASSWORD, UserFactory, make_course, make_quiz

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Runs before any page script (through the DevTools protocol, which the CSP does not govern).
RECORD_VIOLATIONS = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", (event) => {
  const where = `${event.sourceFile}:${event.lineNumber}`;
  window.__csp.push(`${event.violatedDirective} ${event.blockedURI} ${where}`);
});
"""


def _violations(page):
    page.wait_for_load_state("networkidle")
    return page.evaluate("window.__csp")


def test_site_pages_raise_no_violation(page):
    tree = make_course(title="Planning international action", modules=1, lessons_per_module=2)
    quiz = make_quiz(tree.modules[0], questions=3)
    learner = UserFactory(email="lea@example.org")
    enrolment_create(user=learner, course=tree.course)
    page.add_init_script(RECORD_VIOLATIONS)
    log_in(page, "lea@example.org", PASSWORD)
    page.wait_for_url("**/learn/")
    for url in ("/", "/en/courses/", tree.course.url, tree.lessons[0].url, quiz.url, "/en/learn/"):
        page.goto(url)
        assert _violations(page) == [], url


def test_wagtail_admin_works_under_its_policy(page):
    tree = make_course(title="Planning international action", modules=1, lessons_per_module=1)
    UserFactory(email="admin@example.org", is_superuser=True, is_staff=True)
    page.add_init_script(RECORD_VIOLATIONS)
    log_in(page, "admin@example.org", PASSWORD)
    page.wait_for_url("**/learn/")
    lesson = tree.lessons[0]
    for url in ("/admin/", f"/admin/pages/{tree.course.pk}/", "/admin/images/", "/admin/snippets/"):
        page.goto(url)
        assert _violations(page) == [], url
    # The page editor (StreamField, Telepath, Stimulus: all JavaScript) loads and saves.
    page.goto(f"/admin/pages/{lesson.pk}/edit/")
    page.locator("#id_title").fill("Planning, revised")
    page.get_by_role("button", name="Save draft").click()
    page.get_by_text("has been updated").first.wait_for()
    assert _violations(page) == []
    # The preview is rendered under /admin/ too, and shows the page.
    page.goto(f"/admin/pages/{lesson.pk}/edit/preview/")
    assert _violations(page) == []
