"""Cached outlines: plain data, read without queries, stale after every kind of change."""

import pickle

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from wagtail.models import Page, Site

from courses.selectors.outline import CourseOutline, course_outline, course_outlines
from tests.factories import _publish, make_course

pytestmark = pytest.mark.django_db


def lesson_titles(tree) -> list[str]:
    return [lesson.title for lesson in course_outline(tree.course).lessons]


def queries(fn) -> int:
    with CaptureQueriesContext(connection) as captured:
        fn()
    return len(captured)


def test_a_cached_outline_costs_no_query_and_is_plain_data():
    tree = make_course(modules=2, lessons_per_module=2)
    built = course_outline(tree.course)
    assert queries(lambda: course_outline(tree.course)) == 0
    assert queries(lambda: course_outlines([tree.course.pk])) == 0
    # Plain data only: a round trip through pickle (what Redis does) keeps it whole, and no
    # model instance with lazy state hides inside.
    again = pickle.loads(pickle.dumps(built))  # noqa: S301 (our own bytes, just made)
    assert isinstance(again, CourseOutline) and again == built
    assert not any(isinstance(v, Page) for v in vars(again.course).values())
    assert again.course.title == tree.course.title and again.course.url == tree.course.url


def test_outlines_are_kept_per_language():
    tree = make_course(modules=1, lessons_per_module=1)
    course_outline(tree.course)
    with translation.override("es"):
        assert queries(lambda: course_outline(tree.course)) == 3
        assert queries(lambda: course_outline(tree.course)) == 0


def test_publishing_a_new_revision_of_a_lesson_refreshes_the_outline():
    tree = make_course(modules=1, lessons_per_module=2)
    assert lesson_titles(tree)[0] == "Lesson 1.1"
    lesson = tree.lessons[0]
    lesson.title = "Renamed lesson"
    _publish(lesson)
    assert lesson_titles(tree)[0] == "Renamed lesson"


def test_unpublishing_a_lesson_removes_it():
    tree = make_course(modules=1, lessons_per_module=2)
    assert len(lesson_titles(tree)) == 2
    tree.lessons[1].unpublish()
    assert lesson_titles(tree) == ["Lesson 1.1"]


def test_unpublishing_a_module_removes_its_lessons():
    tree = make_course(modules=2, lessons_per_module=1)
    assert len(lesson_titles(tree)) == 2
    tree.modules[0].unpublish()
    assert lesson_titles(tree) == ["Lesson 2.1"]


def test_moving_a_lesson_to_another_course_updates_both_outlines():
    tree = make_course(modules=1, lessons_per_module=2)
    other = make_course(modules=1, lessons_per_module=1)
    assert len(lesson_titles(other)) == 1
    lesson = tree.lessons[1]
    lesson.move(other.modules[0], pos="last-child")
    assert lesson_titles(tree) == ["Lesson 1.1"]
    moved = course_outline(other.course).lessons[-1]
    assert moved.id == lesson.pk and moved.url == Page.objects.get(pk=lesson.pk).specific.url


def test_deleting_a_lesson_removes_it():
    tree = make_course(modules=1, lessons_per_module=2)
    assert len(lesson_titles(tree)) == 2
    Page.objects.get(pk=tree.lessons[0].pk).delete()
    assert lesson_titles(tree) == ["Lesson 1.2"]


def test_renaming_the_course_changes_its_summary_and_urls():
    tree = make_course(modules=1, lessons_per_module=1)
    old_url = course_outline(tree.course).lessons[0].url
    tree.course.title = "A new title"
    tree.course.slug = "a-new-slug"
    _publish(tree.course)
    outline = course_outline(tree.course)
    assert outline.course.title == "A new title"
    assert "a-new-slug" in outline.lessons[0].url and outline.lessons[0].url != old_url


def test_changing_the_site_makes_every_outline_stale():
    tree = make_course(modules=1, lessons_per_module=1)
    course_outline(tree.course)
    site = Site.objects.get(is_default_site=True)
    site.port = 8080
    site.save()
    assert queries(lambda: course_outline(tree.course)) >= 3  # rebuilt (and the site's paths)
