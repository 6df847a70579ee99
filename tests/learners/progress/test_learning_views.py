"""Requests for every learning view and every refusal."""

import re
from datetime import UTC, datetime
from urllib.parse import urlparse

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from courses.models import EnrolmentPolicy
from learners.models import Enrolment, LessonProgress
from learners.progress.services import enrolment_create, lesson_complete, lesson_view_record
from learners.urls import urlpatterns as learner_urlpatterns
from tests.factories import catalogue_page, make_course

pytestmark = pytest.mark.django_db

LOGIN = "/en/accounts/login/"


def enrol_url(course):
    return reverse("learn_enrol", args=[course.pk])


def complete_url(lesson):
    return reverse("learn_complete_lesson", args=[lesson.pk])


def assert_login_redirect(response, next_path):
    assert response.status_code == 302
    target = urlparse(response["Location"])
    assert target.path == LOGIN
    assert f"next={next_path}" in target.query.replace("%2F", "/")


def continue_href(html):
    """The href of the first "Continue" button on a page."""
    match = re.search(r'<a class="button" href="([^"]+)">Continue', html)
    return match and match.group(1)


@pytest.fixture
def enrolled(learner, course_tree):
    enrolment, _ = enrolment_create(user=learner, course=course_tree.course)
    return enrolment


# --- Anonymous visitors ---------------------------------------------------------------------
def test_anonymous_reads_course_page_and_outline(client, course_tree):
    response = client.get(course_tree.course.url)
    assert response.status_code == 200
    html = response.content.decode()
    for lesson in course_tree.lessons:
        assert lesson.title in html
    assert "Log in to enrol" in html
    assert enrol_url(course_tree.course) not in html


@pytest.mark.parametrize("name", ["learn_dashboard", "learn_transcript"])
def test_anonymous_is_sent_to_login_from_learner_pages(client, name):
    assert_login_redirect(client.get(reverse(name)), reverse(name))


def test_anonymous_is_sent_to_login_from_a_lesson(client, course_tree):
    lesson = course_tree.lessons[1]
    assert_login_redirect(client.get(lesson.url), lesson.url)
    assert not LessonProgress.objects.exists()


def test_anonymous_posts_are_sent_to_login_and_change_nothing(client, course_tree):
    assert_login_redirect(client.post(enrol_url(course_tree.course)), enrol_url(course_tree.course))
    lesson = course_tree.lessons[0]
    assert_login_redirect(client.post(complete_url(lesson)), complete_url(lesson))
    assert not Enrolment.objects.exists() and not LessonProgress.objects.exists()


# --- The enrolment gate ---------------------------------------------------------------------
def test_not_enrolled_learner_gets_the_enrol_prompt(learner_client, course_tree):
    lesson = course_tree.lessons[2]
    response = learner_client.get(lesson.url)
    assert response.status_code == 403
    html = response.content.decode()
    assert f'action="{enrol_url(course_tree.course)}"' in html
    assert f'name="next" value="{lesson.url}"' in html
    assert "Enrol and start reading" in html
    assert "Cities act abroad" not in html  # the lesson body stays hidden
    assert not LessonProgress.objects.exists()


def test_assigned_only_course_prompt_has_no_enrol_form(learner_client):
    tree = make_course(modules=1, lessons_per_module=1, enrolment_policy=EnrolmentPolicy.ASSIGNED)
    response = learner_client.get(tree.lessons[0].url)
    assert response.status_code == 403
    html = response.content.decode()
    assert "assigned to it by their organisation" in html
    assert enrol_url(tree.course) not in html
    course_html = learner_client.get(tree.course.url).content.decode()
    assert enrol_url(tree.course) not in course_html


def test_first_lesson_preview_when_the_course_allows_it(learner_client):
    client = Client()  # anonymous; learner_client is the logged-in `client` fixture
    tree = make_course(modules=2, lessons_per_module=2, first_lesson_preview=True)
    first, second = tree.lessons[0], tree.lessons[1]
    response = client.get(first.url)
    assert response.status_code == 200
    assert "free preview" in response.content.decode()
    assert_login_redirect(client.get(second.url), second.url)
    assert learner_client.get(first.url).status_code == 200
    assert learner_client.get(second.url).status_code == 403
    # A preview is not a learning record.
    assert not LessonProgress.objects.exists()


def test_first_lesson_is_not_open_without_the_course_setting(client, course_tree):
    first = course_tree.lessons[0]
    assert_login_redirect(client.get(first.url), first.url)


# --- Enrolling ------------------------------------------------------------------------------
def test_enrol_post_enrols_once_and_returns_to_the_course(learner_client, learner, course_tree):
    course = course_tree.course
    response = learner_client.post(enrol_url(course))
    assert response.status_code == 302 and response["Location"] == course.url
    assert learner_client.post(enrol_url(course)).status_code == 302
    assert Enrolment.objects.filter(user=learner).count() == 1
    html = learner_client.get(course.url).content.decode()
    assert "You are enrolled" in html
    assert "Start the course" in html
    assert enrol_url(course) not in html


def test_enrol_from_the_prompt_goes_back_to_the_lesson(learner_client, course_tree):
    lesson = course_tree.lessons[2]
    response = learner_client.post(enrol_url(course_tree.course), {"next": lesson.url})
    assert response["Location"] == lesson.url
    assert learner_client.get(lesson.url).status_code == 200


@pytest.mark.parametrize(
    "target", ["https://evil.example/phish", "//evil.example/", "http://evil.example"]
)
def test_off_site_next_is_ignored(learner_client, enrolled, course_tree, target):
    response = learner_client.post(enrol_url(course_tree.course), {"next": target})
    assert response["Location"] == course_tree.course.url
    lesson = course_tree.lessons[0]
    response = learner_client.post(complete_url(lesson), {"next": target})
    assert response["Location"] == lesson.url


def test_self_enrolment_refused_on_assigned_course(learner_client, learner):
    tree = make_course(modules=1, lessons_per_module=1, enrolment_policy=EnrolmentPolicy.ASSIGNED)
    response = learner_client.post(enrol_url(tree.course), follow=True)
    assert response.status_code == 200
    assert "open only to learners assigned" in response.content.decode()
    assert not Enrolment.objects.filter(user=learner).exists()


def test_enrol_unknown_or_unpublished_course_is_404(learner_client, course_tree):
    assert learner_client.post("/en/learn/courses/999999/enrol/").status_code == 404
    # A lesson's id is not a course.
    assert learner_client.post(enrol_url(course_tree.lessons[0])).status_code == 404
    course_tree.course.unpublish()
    assert learner_client.post(enrol_url(course_tree.course)).status_code == 404
    assert not Enrolment.objects.exists()


@pytest.mark.parametrize("name", ["learn_enrol", "learn_complete_lesson"])
def test_get_on_post_only_endpoints_is_405(learner_client, course_tree, name):
    target = course_tree.course if name == "learn_enrol" else course_tree.lessons[0]
    assert learner_client.get(reverse(name, args=[target.pk])).status_code == 405
    assert not Enrolment.objects.exists()


def test_posts_need_a_csrf_token(learner, course_tree):
    client = Client(enforce_csrf_checks=True)
    client.force_login(learner)
    course, lesson = course_tree.course, course_tree.lessons[0]
    assert client.post(enrol_url(course)).status_code == 403
    assert not Enrolment.objects.exists()
    # With the token the course page hands out, the same POST goes through.
    client.get(course.url)
    token = client.cookies["csrftoken"].value
    assert client.post(enrol_url(course), {"csrfmiddlewaretoken": token}).status_code == 302
    assert Enrolment.objects.count() == 1
    assert client.post(complete_url(lesson)).status_code == 403
    assert not LessonProgress.objects.filter(completed_at__isnull=False).exists()
    response = client.post(complete_url(lesson), {"csrfmiddlewaretoken": token})
    assert response.status_code == 302
    assert LessonProgress.objects.filter(completed_at__isnull=False).count() == 1


# --- Lessons and completing them ------------------------------------------------------------
def test_enrolled_learner_reads_a_lesson_and_sees_position(learner_client, enrolled, course_tree):
    lesson = course_tree.lessons[1]
    lesson_complete(user=enrolled.user, enrolment=enrolled, lesson=course_tree.lessons[0])
    response = learner_client.get(lesson.url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Lesson 2 of 4" in html
    assert "Module progress" in html
    # Module 1 has one of its two lessons done; the course one of four.
    assert re.search(r'aria-valuenow="50" aria-label="Module progress"', html)
    assert re.search(r'aria-valuenow="25" aria-label="Course progress"', html)
    assert f'action="{complete_url(lesson)}"' in html
    assert f'name="next" value="{course_tree.lessons[2].url}"' in html
    row = LessonProgress.objects.get(enrolment=enrolled, lesson=lesson)
    assert row.first_viewed_at is not None and row.completed_at is None


def test_complete_post_is_idempotent_and_moves_on(learner_client, enrolled, course_tree):
    lesson, following = course_tree.lessons[0], course_tree.lessons[1]
    response = learner_client.post(complete_url(lesson), {"next": following.url})
    assert response.status_code == 302 and response["Location"] == following.url
    response = learner_client.post(complete_url(lesson), {"next": following.url})
    assert response.status_code == 302
    rows = LessonProgress.objects.filter(enrolment=enrolled, lesson=lesson)
    assert rows.count() == 1 and rows.get().completed_at is not None
    html = learner_client.get(lesson.url).content.decode()
    assert "You have completed this lesson." in html
    assert complete_url(lesson) not in html


def test_completing_the_last_lesson_completes_the_course(learner_client, enrolled, course_tree):
    for lesson in course_tree.lessons:
        learner_client.post(complete_url(lesson))
    enrolled.refresh_from_db()
    assert enrolled.completed_at is not None
    html = learner_client.get(course_tree.course.url).content.decode()
    assert "Completed on" in html
    assert 'aria-valuenow="100"' in html


def test_complete_unknown_or_unpublished_lesson_is_404(learner_client, enrolled, course_tree):
    assert learner_client.post("/en/learn/lessons/999999/complete/").status_code == 404
    # A course's id is not a lesson.
    assert learner_client.post(complete_url(course_tree.course)).status_code == 404
    lesson = course_tree.lessons[0]
    lesson.unpublish()
    assert learner_client.post(complete_url(lesson)).status_code == 404
    assert not LessonProgress.objects.exists()


def test_complete_without_enrolment_changes_nothing(learner_client, course_tree):
    response = learner_client.post(complete_url(course_tree.lessons[0]), follow=True)
    assert response.redirect_chain[0][0] == course_tree.course.url
    assert "Enrol in the course to record your progress." in response.content.decode()
    assert not LessonProgress.objects.exists()


# --- Resume ---------------------------------------------------------------------------------
def test_continue_points_after_the_last_viewed_lesson(learner_client, learner, course_tree):
    enrolment, _ = enrolment_create(user=learner, course=course_tree.course)
    lessons = course_tree.lessons
    lesson_complete(user=learner, enrolment=enrolment, lesson=lessons[0])
    lesson_complete(user=learner, enrolment=enrolment, lesson=lessons[2])
    lesson_view_record(user=learner, enrolment=enrolment, lesson=lessons[2])
    # Lesson 2 is an earlier gap; the next one after the last viewed comes first.
    assert continue_href(learner_client.get(course_tree.course.url).content.decode()) == (
        lessons[3].url
    )
    assert continue_href(learner_client.get("/en/learn/").content.decode()) == lessons[3].url


# --- My learning and the transcript ---------------------------------------------------------
def test_dashboard_empty_state_points_to_the_catalogue(learner_client):
    catalogue_page()  # the link is the catalogue's address in the reader's language
    response = learner_client.get("/en/learn/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "You are not enrolled in any course yet" in html
    assert 'href="/en/courses/"' in html


def test_dashboard_lists_in_progress_and_completed(learner_client, learner):
    doing = make_course(modules=1, lessons_per_module=3, title="Doing course")
    done = make_course(modules=1, lessons_per_module=1, title="Done course")
    enrolment, _ = enrolment_create(user=learner, course=doing.course)
    lesson_complete(user=learner, enrolment=enrolment, lesson=doing.lessons[0])
    finished, _ = enrolment_create(user=learner, course=done.course)
    lesson_complete(user=learner, enrolment=finished, lesson=done.lessons[0])
    response = learner_client.get("/en/learn/")
    in_progress, completed = (
        [e.enrolment.course_title for e in response.context["dashboard"].in_progress],
        [e.enrolment.course_title for e in response.context["dashboard"].completed],
    )
    assert (in_progress, completed) == (["Doing course"], ["Done course"])
    html = response.content.decode()
    assert 'aria-valuenow="33"' in html and 'aria-valuenow="100"' in html
    assert "Last activity" in html
    assert continue_href(html) == doing.lessons[1].url


def test_transcript_lists_only_the_viewers_completed_courses(
    client, learner, other_learner, course_tree
):
    mine, _ = enrolment_create(user=learner, course=course_tree.course)
    theirs_tree = make_course(modules=1, lessons_per_module=1, title="Their course")
    theirs, _ = enrolment_create(user=other_learner, course=theirs_tree.course)
    lesson_complete(user=other_learner, enrolment=theirs, lesson=theirs_tree.lessons[0])
    client.force_login(learner)
    html = client.get("/en/learn/transcript/").content.decode()
    assert "No completed courses yet." in html and "Their course" not in html
    for lesson in course_tree.lessons:
        lesson_complete(user=learner, enrolment=mine, lesson=lesson)
    response = client.get("/en/learn/transcript/")
    html = response.content.decode()
    assert response.status_code == 200
    assert course_tree.course.title in html and "Their course" not in html
    assert html.count('<time datetime="') == 2  # enrolled and completed dates
    dashboard_html = client.get("/en/learn/").content.decode()
    assert "Their course" not in dashboard_html


def test_another_learner_cannot_touch_my_records(
    client, learner, other_learner, enrolled, course_tree
):
    client.force_login(other_learner)
    lesson = course_tree.lessons[0]
    # The only ids in learner URLs are content ids; the records are always the viewer's own.
    client.post(complete_url(lesson))
    assert not LessonProgress.objects.filter(enrolment=enrolled).exists()
    assert client.get(lesson.url).status_code == 403


def test_learner_urls_carry_no_record_ids():
    """Nothing under /learn/ names an enrolment or a user, so no id can reveal another's data.

    Content ids (course, lesson, quiz, workbook page, reflection block) are public; the only
    record keys are random UUIDs (an attempt's, a workbook's, with the number of a submitted
    version), a certificate's code and signed download tokens (the data export's), all refused
    (404) to anyone but their holder (tested with the quiz, workbook, certificate and privacy
    views). User ids appear only under /hr/, behind the HR scope.
    """
    converters = {
        name
        for pattern in learner_urlpatterns
        if str(pattern.pattern).startswith("learn/")
        for name in pattern.pattern.converters
    }
    assert converters <= {
        "course_id",
        "lesson_id",
        "quiz_id",
        "page_id",
        "block_id",
        "public_id",
        "number",
        "code",
        "token",
        "path",  # a file inside a SCORM package, behind the lesson's enrolment check
    }


@pytest.mark.parametrize("path", ["/en/learn/1/", "/en/learn/transcript/1/", "/en/learn/users/1/"])
def test_guessed_record_urls_are_404(learner_client, path):
    assert learner_client.get(path).status_code == 404


def test_dashboard_points_to_the_catalogue_wherever_it_lives(learner_client):
    catalogue = catalogue_page()
    catalogue.slug = "catalogue"
    catalogue.save_revision().publish()
    html = learner_client.get("/en/learn/").content.decode()
    assert 'href="/en/catalogue/"' in html


def test_dashboard_orders_by_latest_activity(learner_client, learner):
    with time_machine.travel(datetime(2026, 1, 1, tzinfo=UTC), tick=False):
        old = make_course(modules=1, lessons_per_module=2, title="Opened long ago")
        enrolment, _ = enrolment_create(user=learner, course=old.course)
        lesson_view_record(user=learner, enrolment=enrolment, lesson=old.lessons[0])
    with time_machine.travel(datetime(2026, 2, 1, tzinfo=UTC), tick=False):
        new = make_course(modules=1, lessons_per_module=2, title="Enrolled lately")
        enrolment_create(user=learner, course=new.course)  # never opened: its enrolment date
    with time_machine.travel(datetime(2026, 3, 1, tzinfo=UTC), tick=False):
        recent = make_course(modules=1, lessons_per_module=2, title="Read yesterday")
        enrolment, _ = enrolment_create(user=learner, course=recent.course)
        lesson_view_record(user=learner, enrolment=enrolment, lesson=recent.lessons[0])
    entries = learner_client.get("/en/learn/").context["dashboard"].in_progress
    assert [e.enrolment.course_title for e in entries] == [
        "Read yesterday",
        "Enrolled lately",
        "Opened long ago",
    ]
