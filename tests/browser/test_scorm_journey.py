"""SCORM lessons in a real browser: a trainer uploads a package in the admin; learners play a
SCORM 1.2 and a multi-SCO SCORM 2004 package whose JavaScript calls the runtime (scorm-again),
commit, resume, complete and see their score; a second window's stale commit is refused."""

import re

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

from courses.models import ScormPackage
from learners.models import LessonProgress, ScormAttempt
from learners.progress.services import enrolment_create
from tests import scorm_packages as packages
from tests.browser.conftest import assert_accessible, log_in
from tests.factories import (
    PASSWORD,
    UserFactory,
    make_course,
    make_scorm_lesson,
    make_scorm_package,
    wagtail_roots,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _patient(page):
    # The admin and a package's frames are heavier than most pages; on a shared machine the
    # default wait can run out before a page has loaded.
    page.set_default_timeout(60_000)
    # No beacons: the runtime sends its last commit with navigator.sendBeacon when a SCO
    # terminates or the page goes away, and that write would race the next page's read on the
    # live server's in-memory SQLite (shared cache: table locks, no waiting), or arrive after
    # the test. A real SQLite in WAL mode, or PostgreSQL, runs them side by side. Every package
    # here commits before it terminates; the beacon commit itself is tested in
    # tests/learners/scorm/test_runtime.py.
    page.context.add_init_script("navigator.sendBeacon = function () { return true; };")


def _as(page, live_server, user):
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )


def test_trainer_uploads_a_package_in_the_admin(page, live_server, tmp_path):
    wagtail_roots()
    admin = UserFactory(email="ada@example.org", is_staff=True, is_superuser=True)
    _as(page, live_server, admin)
    refused = tmp_path / "no-manifest.zip"
    refused.write_bytes(packages.without_manifest())
    page.goto("/admin/snippets/courses/scormpackage/add/")
    page.locator("#id_package_file").set_input_files(str(refused))
    page.get_by_role("button", name=re.compile("^Save")).click()
    expect(page.get_by_text(re.compile("no imsmanifest.xml at its top level"))).to_be_visible()
    assert not ScormPackage.objects.exists()

    good = tmp_path / "budgets.zip"
    good.write_bytes(packages.package(version="2004", title="Budgets, the SCORM way"))
    page.locator("#id_package_file").set_input_files(str(good))
    page.get_by_role("button", name=re.compile("^Save")).click()
    expect(page.get_by_role("link", name=re.compile("Budgets, the SCORM way"))).to_be_visible()
    package = ScormPackage.objects.get()
    assert package.version == "2004-4"


def _frame(page):
    return page.frame_locator("#scorm-frame")


def test_learner_plays_commits_resumes_and_completes_a_scorm_12_lesson(page, browser, live_server):
    wagtail_roots()
    learner = UserFactory(email="lea@example.org", full_name="Lea Learner")
    tree = make_course(modules=1, lessons_per_module=0, title="Public budgets")
    lesson = make_scorm_lesson(
        tree.modules[0], make_scorm_package(packages.package(version="1.2")), title="Budgets 1.2"
    )
    enrolment, _ = enrolment_create(user=learner, course=tree.course)

    log_in(page, "lea@example.org", PASSWORD)
    page.goto(lesson.url)
    frame = _frame(page)
    expect(frame.locator("#result")).to_have_text("initialised")
    expect(frame.locator("#name")).to_have_text("Lea Learner")
    expect(frame.locator("#entry")).to_have_text("ab-initio")
    assert_accessible(page, context="SCORM 1.2 lesson")

    # A second window opened now will be out of date once the first one commits.
    other = page.context.new_page()
    other.set_default_timeout(60_000)
    other.goto(lesson.url)
    expect(_frame(other).locator("#result")).to_have_text("initialised")

    frame.get_by_role("button", name="Save my place").click()
    expect(frame.locator("#result")).to_have_text("committed")
    expect(page.get_by_role("status").filter(has_text="Your progress is saved.")).to_be_visible()
    row = ScormAttempt.objects.get()
    assert (row.location, row.suspend_data, row.exit) == ("page-2", "seen=1,2", "suspend")

    _frame(other).get_by_role("button", name="Save my place").click()
    expect(_frame(other).locator("#result")).to_have_text(re.compile("^commit failed"))
    expect(other.get_by_text(re.compile("saved from another window"))).to_be_visible()
    other.close()

    page.reload()
    expect(frame.locator("#entry")).to_have_text("resume")
    expect(frame.locator("#location")).to_have_text("page-2")
    expect(frame.locator("#suspend")).to_have_text("seen=1,2")
    expect(
        page.get_by_text("Welcome back: the activity continues where you left it.")
    ).to_be_visible()

    frame.get_by_role("button", name="Finish with 85").click()
    expect(frame.locator("#result")).to_have_text("finished")
    progress = LessonProgress.objects.get(enrolment=enrolment, lesson=lesson)
    assert progress.completed_at is not None
    enrolment.refresh_from_db()
    assert enrolment.completed_at is not None
    row = ScormAttempt.objects.get()
    assert row.lesson_status == "passed" and row.score_percent == 85
    assert row.interaction_count == 1

    page.reload()
    expect(page.get_by_text("Your score: 85 %")).to_be_visible()
    expect(page.get_by_text("You have completed this lesson.")).to_be_visible()
    assert_accessible(page, context="SCORM lesson, completed")


def test_learner_completes_a_multi_sco_scorm_2004_lesson(page, live_server):
    lesson, enrolment = _multi_sco_lesson(
        page, "sam@example.org", "Sam Sample", scos=2, score=90, title="Twinning in two parts"
    )
    contents = page.get_by_role("navigation", name="Contents of this activity")
    expect(contents.get_by_role("link", name="Part 1")).to_have_attribute("aria-current", "step")
    frame = _frame(page)
    expect(frame.locator("#result")).to_have_text("initialised")
    expect(frame.locator("#name")).to_have_text("Sam Sample")
    assert_accessible(page, context="multi-SCO SCORM 2004 lesson")
    frame.get_by_role("button", name="Finish with 90").click()
    expect(frame.locator("#result")).to_have_text("finished")
    assert not LessonProgress.objects.filter(completed_at__isnull=False).exists()

    contents.get_by_role("link", name="Part 2").click()
    expect(contents.get_by_role("link", name="Part 2")).to_have_attribute("aria-current", "step")
    expect(contents.get_by_text("(completed)")).to_have_count(1)
    frame = _frame(page)
    expect(frame.locator("#h1, h1")).to_have_text("Part 2")
    frame.get_by_role("button", name="Finish with 90").click()
    expect(frame.locator("#result")).to_have_text("finished")
    assert LessonProgress.objects.get(enrolment=enrolment, lesson=lesson).completed_at
    page.reload()
    expect(page.get_by_text("Your score: 90 %")).to_be_visible()


def test_scorm_2004_navigation_requests_move_between_scos(page, live_server):
    """A SCO that asks for "continue" hands over to the next SCO once its last commit was
    stored; "previous" goes back; the table of contents follows."""
    lesson, enrolment = _multi_sco_lesson(
        page, "noa@example.org", "Noa Next", scos=3, score=80, title="Twinning in three parts"
    )
    contents = page.get_by_role("navigation", name="Contents of this activity")
    frame = _frame(page)
    expect(frame.locator("#result")).to_have_text("initialised")
    frame.get_by_role("button", name="Finish and continue").click()
    expect(page).to_have_url(re.compile(r"\?sco=item2$"))
    expect(contents.get_by_role("link", name="Part 2")).to_have_attribute("aria-current", "step")
    # The first part's commit (before it terminated) was stored.
    _wait_for(
        lambda: ScormAttempt.objects.filter(
            enrolment=enrolment,
            sco_identifier="item1",
            completed_at__isnull=False,
            score_percent=80,
        ).exists()
    )
    frame = _frame(page)
    expect(frame.locator("h1")).to_have_text("Part 2")
    expect(frame.locator("#result")).to_have_text("initialised")
    frame.get_by_role("button", name="Back to the previous part").click()
    expect(page).to_have_url(re.compile(r"\?sco=item1$"))
    expect(_frame(page).locator("h1")).to_have_text("Part 1")
    assert_accessible(page, context="SCORM 2004 lesson after a navigation request")


def _wait_for(condition, seconds: float = 10.0):
    import time

    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "the condition did not hold in time"
        time.sleep(0.1)


def _multi_sco_lesson(page, email: str, name: str, *, scos: int, score: int, title: str):
    """A SCORM 2004 lesson of `scos` parts in a course the learner is enrolled in; the learner
    signed in and on the lesson's page."""
    wagtail_roots()
    learner = UserFactory(email=email, full_name=name)
    tree = make_course(modules=1, lessons_per_module=0, title="Twinning")
    lesson = make_scorm_lesson(
        tree.modules[0],
        make_scorm_package(packages.package(version="2004", scos=scos, score=score)),
        title=title,
    )
    enrolment, _ = enrolment_create(user=learner, course=tree.course)
    log_in(page, email, PASSWORD)
    page.goto(lesson.url)
    return lesson, enrolment
