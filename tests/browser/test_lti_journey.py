"""LTI 1.3 in a real browser: Capacitas inside a platform's iframe, as Moodle and Canvas show it.

The platform is the real one of tests/learners/lti (OpenLearning's lti1p3platform on loopback),
in browser mode: its /course page embeds the tool in an iframe whose src is a login initiation
URL; its /auth answers an auto-submitting launch form; its /deep_link_return a receipt page.
The tool runs at http://localhost:<live_server port> and the platform's issuer is
http://localhost:<its port>: the same site, so the tool's SameSite=Lax cookies work in the
frame over plain http (Platform's docstring says why). Every tool page met in the frame is
checked with axe-core inside the frame, and at a 390 px wide phone.
"""

import re
import time

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from playwright.sync_api import expect

from learners.attempts.models import QuizAttempt
from learners.lti.models import LtiAccount
from learners.progress.models import Enrolment, EnrolmentSource
from tests.browser.conftest import PHONE, answer_quiz, assert_accessible, axe_violations
from tests.factories import make_course, make_quiz, wagtail_roots
from tests.learners.lti.conftest import register, start_platform

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FRAME = "iframe[name=capacitas]"


@pytest.fixture
def lti_platform(live_server):
    """The loopback platform, same-site with the live server (both on `localhost`)."""
    running = start_platform(tool=live_server.url, host="localhost")
    yield running
    running.stop()


@pytest.fixture
def tool_responses(page, live_server):
    """Every answer of the tool that the browser received, in order."""
    seen = []
    page.on("response", lambda r: seen.append(r) if r.url.startswith(live_server.url) else None)
    return seen


@pytest.fixture(autouse=True)
def _patient(page):
    # A launch is several navigations inside a frame; a shared machine can be slow.
    page.set_default_timeout(30_000)
    expect.set_options(timeout=30_000)
    yield
    expect.set_options(timeout=5_000)  # Playwright's default, for the other journeys


def _frame(page):
    return page.frame(name="capacitas")


def assert_frame_accessible(page, *, context: str):
    """axe-core run inside the tool's frame (Axe().run on the top page would not look into a
    cross-origin frame), serious and critical violations only, as assert_accessible does;
    then the same frame inside a 390 px wide page must not scroll sideways."""
    summary = axe_violations(_frame(page))
    assert not summary, f"Accessibility violations in the frame, {context}:\n{summary}"
    before = page.viewport_size
    page.set_viewport_size(PHONE)
    try:
        widths = _frame(page).evaluate(
            "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
        )
    finally:
        page.set_viewport_size(before)
    assert widths[0] <= widths[1], f"{context} scrolls sideways in a phone's frame: {widths}"


def _csp(response) -> str:
    return response.headers.get("content-security-policy", "")


def _wait_for(page, condition, *, seconds: float = 15.0):
    """Poll `condition` (the platform records in its own thread); Playwright's own wait keeps
    the browser's events flowing meanwhile."""
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        page.wait_for_timeout(100)


def test_learner_launches_in_the_frame_completes_and_the_grade_goes_back(
    page, live_server, lti_platform, tool_responses
):
    wagtail_roots()
    register(lti_platform, Client())
    tree = make_course(modules=1, lessons_per_module=2, title="Local action abroad")
    users_before = get_user_model().objects.count()

    page.goto(
        lti_platform.course_url(
            user_id="u-frame", page_id=tree.course.pk, name="Ana Díaz", email="ana@example.org"
        )
    )
    tool = page.frame_locator(FRAME)
    expect(tool.get_by_role("heading", level=1, name="Local action abroad")).to_be_visible()

    # The frame went through the cookie check, the platform's form, the launch, the course.
    [check] = [r for r in tool_responses if "/lti/login/" in r.url and "lti1p3_new" not in r.url]
    assert check.status == 200 and "data-lti-cookie-check" in check.text()
    [launched] = [r for r in tool_responses if r.url.endswith("/lti/launch/")]
    assert launched.status == 302 and launched.request.method == "POST"
    course = next(r for r in tool_responses if r.url == live_server.url + tree.course.url)
    for answer in (check, launched, course):
        # Only the registered platform's origin may frame the tool (plus the tool itself).
        assert re.search(
            rf"frame-ancestors 'self' [^;]*{re.escape(lti_platform.issuer)}", _csp(answer)
        ), _csp(answer)
        assert "x-frame-options" not in answer.headers

    account = LtiAccount.objects.get(issuer=lti_platform.issuer, sub="u-frame")
    assert account.user.full_name == "Ana Díaz"
    enrolment = Enrolment.objects.get(user=account.user, course=tree.course)
    assert enrolment.source == EnrolmentSource.LTI
    assert get_user_model().objects.count() == users_before + 1
    assert_frame_accessible(page, context="course page after the launch")

    tool.get_by_role("link", name=re.compile("^Start the course")).click()
    expect(tool.get_by_role("heading", level=1, name="Lesson 1.1")).to_be_visible()
    assert_frame_accessible(page, context="lesson in the frame")
    tool.get_by_role("button", name="Mark as complete and continue").click()
    expect(tool.get_by_role("heading", level=1, name="Lesson 1.2")).to_be_visible()
    tool.get_by_role("button", name=re.compile("^Mark as complete$")).click()
    expect(tool.get_by_text("You have completed this lesson.")).to_be_visible()

    # The course completed: its grade went to the platform through AGS.
    _wait_for(page, lambda: any(s["userId"] == "u-frame" for s in lti_platform.scores))
    score = [s for s in lti_platform.scores if s["userId"] == "u-frame"][-1]
    assert score["activityProgress"] == "Completed"
    assert score["gradingProgress"] == "FullyGraded"
    assert score["scoreGiven"] == 100.0
    assert lti_platform.token_requests >= 1

    # A new launch from the platform, after the tool's session has gone: the same account.
    page.context.clear_cookies()
    page.goto(lti_platform.course_url(user_id="u-frame", page_id=tree.lessons[0].pk))
    expect(tool.get_by_role("heading", level=1, name="Lesson 1.1")).to_be_visible()
    expect(tool.get_by_text("You have completed this lesson.")).to_be_visible()
    assert get_user_model().objects.count() == users_before + 1
    assert LtiAccount.objects.filter(sub="u-frame").count() == 1


def test_a_final_quiz_score_goes_back_from_the_frame(page, live_server, lti_platform):
    wagtail_roots()
    register(lti_platform, Client())
    tree = make_course(modules=1, lessons_per_module=1, title="Budgets")
    quiz = make_quiz(tree.course, questions=1, title="Final check")
    page.goto(lti_platform.course_url(user_id="u-quiz", page_id=quiz.pk))
    tool = page.frame_locator(FRAME)
    expect(tool.get_by_role("heading", level=1, name="Final check")).to_be_visible()
    assert_frame_accessible(page, context="quiz page in the frame")
    tool.get_by_role("button", name="Start the quiz").click()
    expect(tool.get_by_role("button", name="Submit answers")).to_be_visible()
    attempt = QuizAttempt.objects.get()
    answer_quiz(tool, attempt, right=True)  # a FrameLocator has .locator() too
    tool.get_by_role("button", name="Submit answers").click()
    _wait_for(page, lambda: any(s["userId"] == "u-quiz" for s in lti_platform.scores))
    quiz_score = next(s for s in lti_platform.scores if s["userId"] == "u-quiz")
    assert quiz_score["scoreGiven"] == 100.0 and quiz_score["scoreMaximum"] == 100.0


def test_instructor_deep_links_a_lesson_from_the_frame(
    page, live_server, lti_platform, tool_responses
):
    wagtail_roots()
    register(lti_platform, Client())
    tree = make_course(modules=1, lessons_per_module=2, title="Local action abroad")
    lesson = tree.lessons[0]

    page.goto(lti_platform.course_url(user_id="teacher-1", deep_link=True))
    tool = page.frame_locator(FRAME)
    expect(
        tool.get_by_role("heading", level=1, name="Choose what to link from Capacitas")
    ).to_be_visible()
    assert_frame_accessible(page, context="deep-linking picker")

    # With the keyboard: the whole course, then the arrow moves to its first lesson.
    whole = tool.get_by_label("The whole course: Local action abroad")
    whole.focus()
    page.keyboard.press("Space")
    expect(whole).to_be_checked()
    page.keyboard.press("ArrowDown")
    expect(tool.get_by_label("Lesson: Lesson 1.1")).to_be_checked()
    tool.get_by_role("button", name="Link the selected content").focus()
    page.keyboard.press("Enter")

    # The tool's answer posted itself back to the platform, which checked its signature.
    expect(tool.get_by_role("status")).to_have_text("The platform received 1 item from the tool.")
    [items] = lti_platform.deep_link_items
    [item] = items
    assert item["type"] == "ltiResourceLink"
    assert item["title"] == "Lesson 1.1"
    assert item["url"] == f"{live_server.url}/lti/launch/?page={lesson.pk}"
    assert item["custom"] == {"page_id": str(lesson.pk)}
    answer = next(r for r in tool_responses if r.url.endswith("/lti/deep-link/"))
    assert f"form-action 'self' {lti_platform.issuer}" in _csp(answer)


def test_a_replayed_launch_shows_the_tools_error_page_in_the_frame(page, lti_platform):
    wagtail_roots()
    register(lti_platform, Client())
    tree = make_course(modules=1, lessons_per_module=1, title="Local action abroad")
    page.goto(lti_platform.course_url(user_id="u-replay", page_id=tree.course.pk))
    tool = page.frame_locator(FRAME)
    expect(tool.get_by_role("heading", level=1, name="Local action abroad")).to_be_visible()

    # The same id_token posted again, in the same browser (the state cookie is still valid).
    _frame(page).goto(f"{lti_platform.issuer}/replay")
    expect(
        tool.get_by_role("heading", name="The launch from your learning platform was refused")
    ).to_be_visible()
    expect(tool.get_by_role("alert")).to_contain_text("already used")
    assert_frame_accessible(page, context="refused launch")
    assert LtiAccount.objects.count() == 1


def test_an_unregistered_platform_may_not_frame_and_is_refused_in_a_window(
    page, live_server, lti_platform, tool_responses
):
    """A platform no one registered: the browser refuses to show the tool in its frame
    (frame-ancestors), and opened in a window of its own the tool says why it refuses."""
    wagtail_roots()
    register(lti_platform, Client())  # another platform is registered, not this one
    rogue = start_platform(tool=live_server.url, host="localhost", client_id="rogue")
    try:
        tree = make_course(modules=1, lessons_per_module=1)
        with page.expect_console_message(lambda m: "frame-ancestors" in m.text) as blocked:
            page.goto(rogue.course_url(user_id="u-rogue", page_id=tree.course.pk))
        assert "has been blocked" in blocked.value.text, blocked.value.text
        check = next(r for r in tool_responses if "/lti/login/" in r.url)
        policy = _csp(check)
        assert f"frame-ancestors 'self' {lti_platform.issuer}" in policy
        assert rogue.issuer not in policy
        _wait_for(page, lambda: _frame(page).url.startswith("chrome-error:"))
        assert not LtiAccount.objects.exists()

        # A new window, as a platform set to "launch in a new window" opens it.
        page.goto(rogue.login_url(user_id="u-rogue", page_id=tree.course.pk))
        expect(
            page.get_by_role("heading", name="The launch from your learning platform was refused")
        ).to_be_visible()
        expect(page.get_by_role("alert")).to_contain_text("not registered")
        assert_accessible(page, context="unregistered platform refused")
        assert not LtiAccount.objects.exists()
    finally:
        rogue.stop()


def test_the_cookie_check_page_is_accessible_in_the_frame(page, lti_platform):
    """The cookie check normally moves on at once; with its script held back it stays, and
    both of its states (checking, cookies blocked) are checked."""
    wagtail_roots()
    register(lti_platform, Client())
    tree = make_course(modules=1, lessons_per_module=1)
    page.route("**/static/js/lti.js", lambda route: route.abort())
    page.goto(lti_platform.course_url(user_id="u-check", page_id=tree.course.pk))
    tool = page.frame_locator(FRAME)
    expect(tool.get_by_role("heading", level=1, name="Opening Capacitas")).to_be_visible()
    assert_frame_accessible(page, context="cookie check, checking")
    # What static/js/lti.js shows when the browser blocks the frame's cookies.
    _frame(page).evaluate(
        """() => {
            document.querySelector("[data-lti-loading]").hidden = true;
            document.querySelector("[data-lti-blocked]").hidden = false;
        }"""
    )
    expect(
        tool.get_by_role("link", name=re.compile("^Open Capacitas in a new tab"))
    ).to_be_visible()
    assert_frame_accessible(page, context="cookie check, cookies blocked")
