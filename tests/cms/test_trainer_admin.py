# ruff: noqa: F811 - the authoring fixtures are imported from test_authoring_permissions
"""Issue 14, trainer side: course order in the explorer, a module's lessons one click away, the
quiz after the lessons, drafts that say what is missing, and the Courses dashboard panel."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from courses.models import LessonPage
from courses.selectors.outline import course_outline
from courses.wagtail_hooks import missing_fields
from learners.progress.admin_panels import trainer_course_rows
from learners.progress.services import enrolment_create, lesson_complete
from tests.cms.test_authoring_permissions import (  # noqa: F401 - fixtures
    add_lesson_url,
    editor,
    groups,
    lesson_form,
    trainer,
    tree,
)
from tests.factories import UserFactory, make_course, make_quiz

pytestmark = pytest.mark.django_db


def _titles_in_order(html: str, titles: list[str]) -> list[int]:
    return [html.index(title) for title in titles]


def test_explorer_lists_modules_and_lessons_in_course_order(client, trainer, groups):
    course = make_course(modules=3, lessons_per_module=2)
    # Edit the first module last: "Updated" ordering would list it first.
    first = course.modules[0]
    first.save_revision().publish()
    client.force_login(trainer)
    html = client.get(reverse("wagtailadmin_explore", args=[course.course.pk])).content.decode()
    positions = _titles_in_order(html, ["Module 1", "Module 2", "Module 3"])
    assert positions == sorted(positions)
    html = client.get(reverse("wagtailadmin_explore", args=[first.pk])).content.decode()
    positions = _titles_in_order(html, ["Lesson 1.1", "Lesson 1.2"])
    assert positions == sorted(positions)


def test_a_module_row_opens_its_lessons(client, trainer, groups):
    course = make_course(modules=1, lessons_per_module=1)
    module = course.modules[0]
    client.force_login(trainer)
    html = client.get(reverse("wagtailadmin_explore", args=[course.course.pk])).content.decode()
    explore = reverse("wagtailadmin_explore", args=[module.pk])
    assert f'href="{explore}"' in html
    assert f"Lessons of &#x27;{module.title}&#x27;" in html


def test_a_lesson_added_after_the_quiz_still_comes_before_it(client, groups):
    course = make_course(modules=1, lessons_per_module=1)
    module = course.modules[0]
    quiz = make_quiz(module, questions=1)
    late = LessonPage(title="Added later", slug="added-later", body=course.lessons[0].body)
    module.add_child(instance=late)  # after the quiz in the tree
    late.save_revision().publish()
    items = course_outline(course.course).modules[0].items
    assert [item.title for item in items] == ["Lesson 1.1", "Added later", quiz.title]


def test_missing_fields_names_what_a_draft_lesson_lacks(groups):
    course = make_course(modules=1, lessons_per_module=1)
    lesson = LessonPage.objects.get(pk=course.lessons[0].pk)
    assert missing_fields(lesson) == []
    lesson.body = []
    assert missing_fields(lesson) == ["Body"]


def test_save_draft_with_an_empty_body_shows_the_error_on_the_field(client, trainer, tree):
    """Save draft validates like Submit: nothing is saved, no "Saved" badge, and Wagtail's
    error sits on the body field."""
    client.force_login(trainer)
    base = {
        "title": "Half written",
        "slug": "half-written",
        "intro": "",
        "estimated_minutes": 10,
        "comments": inline_formset([]),
    }
    response = client.post(
        add_lesson_url(tree.modules[0]), nested_form_data({**base, "body": streamfield([])})
    )
    assert response.status_code == 200
    assert not LessonPage.objects.filter(slug="half-written").exists()
    html = response.content.decode()
    assert "The page could not be created due to validation errors" in html
    assert "This field is required." in html
    assert "Saved as a draft" not in html
    # With a body the same draft saves.
    body = streamfield([("paragraph", rich_text("<p>A start.</p>"))])
    response = client.post(
        add_lesson_url(tree.modules[0]), nested_form_data({**base, "body": body})
    )
    assert response.status_code == 302
    assert not LessonPage.objects.get(slug="half-written").live


def test_a_complete_draft_gets_no_warning(client, trainer, tree):
    client.force_login(trainer)
    response = client.post(
        add_lesson_url(tree.modules[0]), lesson_form("Complete", "complete"), follow=True
    )
    assert "fill in:" not in response.content.decode()


def test_courses_panel_counts_activity_without_names(client, trainer, tree):
    learner = UserFactory(full_name="Private Person")
    enrolment, _ = enrolment_create(user=learner, course=tree.course)
    lesson_complete(user=learner, enrolment=enrolment, lesson=tree.lessons[0])
    client.force_login(trainer)
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    assert 'id="capacitas-courses"' in html or "capacitas-courses" in html
    assert tree.course.title in html
    assert "Private Person" not in html and learner.email not in html
    [row] = [r for r in trainer_course_rows(trainer) if r.course.pk == tree.course.pk]
    assert row.learners == 1 and row.active_week == 1 and row.completed_month == 1


def test_courses_panel_counts_drafts_and_reviews(client, trainer, tree):
    client.force_login(trainer)
    client.post(add_lesson_url(tree.modules[0]), lesson_form("Draft one", "draft-one"))
    client.post(
        add_lesson_url(tree.modules[0]),
        lesson_form("For review", "for-review", **{"action-submit": "action-submit"}),
    )
    [row] = [r for r in trainer_course_rows(trainer) if r.course.pk == tree.course.pk]
    assert row.drafts == 2 and row.in_review == 1


def test_courses_panel_queries_do_not_grow_with_courses(trainer, groups):
    make_course(modules=1, lessons_per_module=1)
    trainer_course_rows(trainer)  # warm the permission caches before measuring
    with CaptureQueriesContext(connection) as one:
        trainer_course_rows(trainer)
    make_course(modules=2, lessons_per_module=2)
    make_course(modules=2, lessons_per_module=2)
    with CaptureQueriesContext(connection) as three:
        rows = trainer_course_rows(trainer)
    assert len(rows) >= 3
    assert len(three) == len(one), [q["sql"][:120] for q in three.captured_queries]


def test_key_takeaway_inputs_have_an_accessible_name(client, trainer, tree):
    from courses.blocks.lesson import TakeawaysBlock

    item = TakeawaysBlock().child_blocks["items"].child_block
    assert 'aria-label="Takeaway"' in item.field.widget.render("t", "")
    client.force_login(trainer)
    html = client.get(f"/admin/pages/{tree.lessons[0].pk}/edit/").content.decode()
    assert "aria-label" in html and "Takeaway" in html
