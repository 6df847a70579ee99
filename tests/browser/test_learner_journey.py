"""The demo learner's journey through a course, in a real browser, checked with axe."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, log_in
from tests.factories import PASSWORD, UserFactory, ensure_wagtail_root, make_course

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]

EMAIL = "learner@example.org"


def bar(page, label, scope="main"):
    return page.locator(scope).get_by_role("progressbar", name=label).first


def test_learner_enrols_completes_lessons_and_resumes(page):
    ensure_wagtail_root()  # an earlier transactional test may have flushed it
    UserFactory(email=EMAIL, full_name="Lucía Fernández Ortega")
    tree = make_course(modules=2, lessons_per_module=2, title="Local action abroad")
    course_url = tree.course.url

    log_in(page, EMAIL, PASSWORD)
    expect(page).to_have_url(re.compile(r"/en/learn/$"))
    expect(
        page.get_by_role("heading", name="You are not enrolled in any course yet")
    ).to_be_visible()
    assert_accessible(page, context="empty My learning")

    # A lesson before enrolling: the enrol prompt.
    page.goto(tree.lessons[0].url)
    expect(page.get_by_role("button", name="Enrol and start reading")).to_be_visible()
    assert_accessible(page, context="enrol prompt")

    page.goto(course_url)
    assert_accessible(page, context="course page, not enrolled")
    page.get_by_role("button", name="Enrol in this course").click()
    expect(page.get_by_text("You are enrolled. Welcome to the course!")).to_be_visible()
    expect(bar(page, "Course progress")).to_have_attribute("aria-valuenow", "0")
    assert_accessible(page, context="course page, enrolled")

    page.get_by_role("link", name=re.compile("^Start the course")).click()
    expect(page.get_by_role("heading", level=1, name="Lesson 1.1")).to_be_visible()
    expect(page.get_by_text("Lesson 1 of 4")).to_be_visible()
    assert_accessible(page, context="lesson 1")
    page.get_by_role("button", name="Mark as complete and continue").click()
    expect(page.get_by_role("heading", level=1, name="Lesson 1.2")).to_be_visible()
    expect(page.get_by_text("Lesson 2 of 4")).to_be_visible()
    expect(bar(page, "Module progress")).to_have_attribute("aria-valuenow", "50")
    expect(bar(page, "Course progress")).to_have_attribute("aria-valuenow", "25")
    page.get_by_role("button", name="Mark as complete and continue").click()
    # Lesson 3 is opened, not completed: that is where the learner left off.
    expect(page.get_by_role("heading", level=1, name="Lesson 2.1")).to_be_visible()
    expect(bar(page, "Module progress")).to_have_attribute("aria-valuenow", "0")
    assert_accessible(page, context="lesson 3")

    page.goto(course_url)
    expect(bar(page, "Course progress")).to_have_attribute("aria-valuenow", "50")
    expect(page.get_by_text("2 of 4 lessons complete.")).to_be_visible()

    page.get_by_role("link", name="My learning").click()
    expect(bar(page, "Progress")).to_have_attribute("aria-valuenow", "50")
    assert_accessible(page, context="My learning, in progress")

    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_role("link", name="My learning")).to_have_count(0)
    log_in(page, EMAIL, PASSWORD)
    expect(page).to_have_url(re.compile(r"/en/learn/$"))
    page.get_by_role("link", name=re.compile("^Continue")).click()
    expect(page.get_by_role("heading", level=1, name="Lesson 2.1")).to_be_visible()
    expect(page.get_by_text("Lesson 3 of 4")).to_be_visible()

    # Finish the course: it moves to Completed on My learning and onto the transcript.
    page.get_by_role("button", name="Mark as complete and continue").click()
    page.get_by_role("button", name=re.compile("^Mark as complete$")).click()
    expect(page.get_by_text("You have completed this lesson.")).to_be_visible()
    page.goto("/en/learn/")
    expect(bar(page, "Progress")).to_have_attribute("aria-valuenow", "100")
    page.get_by_role("link", name="View your transcript").click()
    expect(page.get_by_role("rowheader", name="Local action abroad")).to_be_visible()
    assert_accessible(page, context="transcript")
