"""A newcomer's first visit, in a real browser: home → course → log in → enrol → walk lessons.

Every page on the way, and the account pages, pass axe-core with no serious or critical issues.
"""

import re

import pytest
from playwright.sync_api import expect

from courses.models import LessonPage
from tests.browser.conftest import assert_accessible, log_in
from tests.factories import (
    PASSWORD,
    OrganisationFactory,
    UserFactory,
    catalogue_page,
    home_page,
    make_course,
    make_document,
    make_image,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

OFFSITE = re.compile(r"^https?://(?!127\.0\.0\.1|localhost)")


def rich_body(image, document):
    """Every kind of block a trainer can use, so axe sees their markup and colours."""
    return [
        {"type": "heading", "value": {"text": "Why cities act abroad", "level": "h2"}},
        {
            "type": "paragraph",
            "value": "<p>Cities work with partners abroad to serve residents.</p>",
        },
        {
            "type": "image",
            "value": {"image": image.pk, "alt_text": "Partner cities on a map", "caption": "Map"},
        },
        {
            "type": "video",
            "value": {
                "title": "A mayor explains",
                "url": "https://www.youtube.com/watch?v=abc123",
                "transcript": "<p>We began with one partner.</p>",
            },
        },
        {"type": "document", "value": {"document": document.pk, "title": "", "description": ""}},
        {"type": "callout", "value": {"kind": "key_idea", "title": "", "body": "<p>Idea.</p>"}},
        {"type": "callout", "value": {"kind": "tip", "title": "Tip", "body": "<p>Start.</p>"}},
        {"type": "callout", "value": {"kind": "warning", "title": "", "body": "<p>Mind.</p>"}},
        {
            "type": "case_study",
            "value": {
                "title": "Masks for a twin city",
                "city": "Port Esmer",
                "country": "Spain",
                "year": 2020,
                "what_they_did": "<p>Shared supplies.</p>",
                "result": "<p>Hospitals were supplied.</p>",
            },
        },
        {"type": "quote", "value": {"text": "Act locally.", "attribution": "A planner"}},
        {"type": "reflection", "value": {"prompt": "Who is your first partner?"}},
        {"type": "takeaways", "value": {"title": "Key takeaways", "items": ["One", "Two"]}},
        {
            "type": "resources",
            "value": [{"title": "Guide", "url": "https://example.org/", "description": ""}],
        },
    ]


@pytest.fixture(autouse=True)
def wagtail_base_rows(transactional_db):
    """The rows Wagtail's migrations create (locale, root page, root collection).

    The flush after each transactional test empties every table, so the second browser test
    would find no tree to build pages in; put back what the migrations put there.
    """
    from django.contrib.contenttypes.models import ContentType
    from wagtail.models import Collection, Locale, Page

    locale = Locale.objects.get_or_create(language_code="en")[0]
    if not Page.objects.filter(depth=1).exists():
        Page.objects.create(
            title="Root",
            slug="root",
            content_type=ContentType.objects.get_for_model(Page),
            path="0001",
            depth=1,
            numchild=0,
            url_path="/",
            locale=locale,
        )
    if not Collection.objects.exists():
        Collection.add_root(name="Root")


@pytest.fixture
def journey(db):
    home = home_page()
    home.headline = "Train the people who take your city to the world"
    home.save_revision().publish()
    catalogue_page()
    tree = make_course(title="International action of local governments", modules=2)
    first = LessonPage.objects.get(pk=tree.lessons[0].pk)
    first.body = rich_body(make_image(), make_document())
    first.save_revision().publish()
    learner = UserFactory(email="walker@example.org", full_name="Walker Learner")
    OrganisationFactory(name="Municipality of Port Esmer")
    return tree, learner


def follow(page, label: str) -> None:
    """Follow the lesson's Next/Previous link and wait for the new lesson to load."""
    link = page.get_by_role("navigation", name="Lessons").get_by_role(
        "link", name=re.compile(rf"^{label}")
    )
    href = link.get_attribute("href")
    # The link sits below images and embeds; scroll first so the click lands on it after layout.
    link.scroll_into_view_if_needed()
    link.click()
    page.wait_for_url(f"**{href}")


@pytest.fixture
def offline_page(page):
    # No network in tests: video embeds and external links are stubbed out.
    page.route(OFFSITE, lambda route: route.abort())
    return page


def test_home_course_login_enrol_and_walk_three_lessons(offline_page, journey):
    page = offline_page
    tree, learner = journey

    page.goto("/")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Train the people who take your city to the world"
    )
    assert_accessible(page, context="home")

    page.get_by_role("link", name="Browse the courses").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Courses")
    assert_accessible(page, context="catalogue")

    page.get_by_role("link", name=tree.course.title).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(tree.course.title)
    assert_accessible(page, context="course (anonymous)")

    log_in(page, learner.email, PASSWORD)
    page.wait_for_url(re.compile(r"/en/learn/"))
    page.goto(tree.course.url)
    page.get_by_role("button", name="Enrol in this course").click()
    start = page.get_by_role("link", name=re.compile(r"^(Start the course|Continue)"))
    expect(start).to_be_visible()
    assert_accessible(page, context="course (enrolled)")

    start.click()
    lessons = tree.lessons
    expect(page.get_by_role("heading", level=1)).to_have_text(lessons[0].title)
    expect(page.get_by_role("img", name="Partner cities on a map")).to_have_count(1)
    assert_accessible(page, context="lesson 1 (every block type)")

    follow(page, "Next")
    expect(page.get_by_role("heading", level=1)).to_have_text(lessons[1].title)
    assert_accessible(page, context="lesson 2")

    # Next again crosses from module 1 into module 2.
    follow(page, "Next")
    expect(page.get_by_role("heading", level=1)).to_have_text(lessons[2].title)
    assert tree.modules[1].title in page.content()
    assert_accessible(page, context="lesson 3")

    follow(page, "Previous")
    expect(page.get_by_role("heading", level=1)).to_have_text(lessons[1].title)
    follow(page, "Previous")
    expect(page.get_by_role("heading", level=1)).to_have_text(lessons[0].title)
    expect(page.get_by_role("link", name=re.compile(r"^Previous"))).to_have_count(0)


@pytest.mark.parametrize(
    ("path", "heading"),
    [
        ("/en/accounts/login/", "Sign In"),
        ("/en/accounts/signup/", "Sign Up"),
        ("/en/accounts/password/reset/", "Password Reset"),
    ],
)
def test_account_pages_are_accessible(offline_page, db, path, heading):
    home_page()
    OrganisationFactory(name="Municipality of Port Esmer")
    offline_page.goto(path)
    expect(offline_page.get_by_role("heading", level=1)).to_have_text(heading)
    expect(offline_page.locator("a.skip-link")).to_have_attribute("href", "#main")
    assert_accessible(offline_page, context=path)


def test_signup_errors_are_accessible(offline_page, db):
    home_page()
    page = offline_page
    page.goto("/en/accounts/signup/")
    page.get_by_label("Full name").fill("Nadia New")
    page.get_by_label("Email").fill("nadia@example.org")
    page.get_by_label("Password", exact=False).first.fill("short")
    page.get_by_label("Password (again)").fill("short")
    page.get_by_label("Level of government").select_option("local")
    page.get_by_role("button", name="Sign Up").click()
    expect(page.get_by_text(re.compile("too short"))).to_be_visible()
    assert_accessible(page, context="signup with errors")


def test_search_and_404_are_accessible(offline_page, journey):
    page = offline_page
    page.goto("/en/search/?q=partners")
    expect(page.get_by_role("heading", level=1)).to_have_text("Search")
    assert_accessible(page, context="search")
    response = page.goto("/no-such-page/")
    assert response.status == 404
    assert_accessible(page, context="404")


def test_login_links_are_large_enough_to_tap(offline_page, db):
    """axe's WCAG 2.2 target-size rule (24 px), switched on explicitly for the login page:
    "Forgot your password?" was 16 px tall."""
    home_page()
    offline_page.goto("/en/accounts/login/")
    link = offline_page.get_by_role("link", name="Forgot your password?")
    assert link.bounding_box()["height"] >= 24
    assert_accessible(
        offline_page, context="login (target size)", rules={"target-size": {"enabled": True}}
    )
