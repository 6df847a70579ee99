"""Trainers translate (wagtail-localize), editors review and publish (the workflow), and the
"Translations out of date" report lists what changed in the source since the last sync."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone
from wagtail.models import GroupPagePermission, Locale, Page, WorkflowPage, WorkflowState
from wagtail_localize.models import StringSegment, StringTranslation, Translation
from wagtail_localize.operations import translate_object

from cms.demo.site import COURSE_EDITORS, TRAINERS, ensure_authoring
from courses.translations import translations_out_of_date
from tests.factories import UserFactory, catalogue_page, home_page, make_course

pytestmark = pytest.mark.django_db

SPANISH_TITLE = "Curso traducido"


@pytest.fixture
def spanish(db):
    locale, _ = Locale.objects.get_or_create(language_code="es")
    return locale


@pytest.fixture
def authoring(db):
    trainers, editors = ensure_authoring(catalogue_page())
    return trainers, editors


@pytest.fixture
def trainer(authoring):
    user = UserFactory(full_name="Tess Trainer", is_staff=True)
    user.groups.add(Group.objects.get(name=TRAINERS))
    return user


@pytest.fixture
def editor(authoring):
    user = UserFactory(full_name="Ed Editor", is_staff=True)
    user.groups.add(Group.objects.get(name=COURSE_EDITORS))
    return user


@pytest.fixture
def course(authoring):
    return make_course(modules=1, lessons_per_module=1).course


@pytest.fixture
def translate(django_capture_on_commit_callbacks):
    """What "Translate this page" does, parents first (the home page and the catalogue);
    wagtail-localize publishes the translation of a live page when the transaction commits."""

    def translate(page, locale):
        for ancestor in [home_page(), catalogue_page(), page]:
            # One request each in the admin: each publishes when it commits.
            with django_capture_on_commit_callbacks(execute=True):
                translate_object(ancestor.specific, [locale])
        return Page.objects.get(translation_key=page.translation_key, locale=locale).specific

    return translate


def translate_strings(page, locale, text=lambda source: f"ES {source}"):
    translation = Translation.objects.get(
        source__object_id=page.translation_key, target_locale=locale
    )
    for segment in StringSegment.objects.filter(source=translation.source).select_related(
        "string", "context"
    ):
        StringTranslation.objects.update_or_create(
            translation_of=segment.string,
            locale=locale,
            context=segment.context,
            defaults={"data": text(segment.string.data)},
        )
    return translation


def test_a_translated_tree_is_authored_and_reviewed_like_its_source(course, spanish, translate):
    translated = translate(course, spanish)
    spanish_catalogue = catalogue_page().get_translation(spanish)
    source_perms = set(
        GroupPagePermission.objects.filter(page=catalogue_page()).values_list(
            "group_id", "permission_id"
        )
    )
    assert source_perms
    assert (
        set(
            GroupPagePermission.objects.filter(page=spanish_catalogue).values_list(
                "group_id", "permission_id"
            )
        )
        == source_perms
    )
    assert WorkflowPage.objects.get(page=spanish_catalogue).workflow.name == "Course review"
    assert translated.get_workflow().name == "Course review"


def test_trainer_translates_submits_and_an_editor_approves_and_publishes(
    client, course, spanish, trainer, editor, translate, django_capture_on_commit_callbacks
):
    translated = translate(course, spanish)
    assert translated.live and translated.title == course.title  # source text until translated
    translate_strings(course, spanish)

    client.force_login(trainer)
    url = reverse("translation_submit_for_review", args=[translated.pk])
    # The explorer offers it on the translated page, not on the English source.
    spanish_listing = client.get(reverse("wagtailadmin_explore", args=[translated.get_parent().pk]))
    assert url in spanish_listing.content.decode()
    english_listing = client.get(reverse("wagtailadmin_explore", args=[course.get_parent().pk]))
    assert "submit-for-review" not in english_listing.content.decode()
    page = client.get(url)
    assert page.status_code == 200
    body = page.content.decode()
    assert "Course review" in body and "Spanish" in body
    response = client.post(url)
    assert response.status_code == 302
    translated.refresh_from_db()
    state = WorkflowState.objects.active().get(object_id=str(translated.pk))
    assert state.requested_by == trainer
    # In review: the draft has the translation, the live page does not yet.
    assert translated.title == course.title
    assert translated.get_latest_revision_as_object().title == f"ES {course.title}"
    # Submitting twice says so.
    again = client.post(url, follow=True)
    assert "already in review" in again.content.decode()

    # The course editor approves; the last task's approval publishes the translation.
    client.force_login(editor)
    task_state = state.current_task_state
    approve = reverse(
        "wagtailadmin_pages:workflow_action", args=[translated.pk, "approve", task_state.pk]
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(approve, {"comment": ""}).status_code in (200, 302)
    translated.refresh_from_db()
    assert translated.live and translated.title == f"ES {course.title}"


def test_trainer_cannot_publish_from_the_translation_editor(
    client, course, spanish, trainer, translate
):
    translated = translate(course, spanish)
    translate_strings(course, spanish)
    client.force_login(trainer)
    response = client.post(
        reverse("wagtailadmin_pages:edit", args=[translated.pk]), {"action": "publish"}
    )
    translated.refresh_from_db()
    assert translated.title == course.title  # nothing published
    assert response.status_code in (302, 403)


def test_submit_refuses_what_is_not_a_translation_or_not_theirs(
    client, course, spanish, trainer, learner, translate
):
    client.force_login(trainer)
    # The English source is not a translation.
    assert client.get(reverse("translation_submit_for_review", args=[course.pk])).status_code == 404
    assert client.get(reverse("translation_submit_for_review", args=[99999])).status_code == 404
    translated = translate(course, spanish)
    # A staff member without page permissions: 404, nothing confirms the page exists.
    outsider = UserFactory(is_staff=True)
    outsider.groups.add(Group.objects.get_or_create(name="Outsiders")[0])
    from django.contrib.auth.models import Permission

    outsider.user_permissions.add(
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    )
    client.force_login(outsider)
    url = reverse("translation_submit_for_review", args=[translated.pk])
    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404
    assert not WorkflowState.objects.exists()
    # A learner never reaches the admin.
    client.force_login(learner)
    assert client.get(url).status_code == 302
    assert client.get(url, headers={"x-requested-with": "XMLHttpRequest"}).status_code == 403


# --- The report -------------------------------------------------------------------------------
def _republish_source(page, *, after):
    page = page.specific
    page.summary = "Changed after the translation."
    revision = page.save_revision()
    revision.publish()
    Page.objects.filter(pk=page.pk).update(last_published_at=after)


def test_report_lists_translations_whose_source_changed(
    client, course, spanish, trainer, editor, django_assert_num_queries, translate
):
    translated = translate(course, spanish)
    report = reverse("translations_out_of_date")
    client.force_login(trainer)
    body = client.get(report).content.decode()
    assert "Every translation is up to date" in body

    translation = Translation.objects.get(
        source__object_id=course.translation_key, target_locale=spanish
    )
    _republish_source(course, after=timezone.now())
    for user in (trainer, editor):
        client.force_login(user)
        response = client.get(report)
        assert response.status_code == 200
        body = response.content.decode()
        assert translated.title in body and "Spanish" in body
        update = reverse("wagtail_localize:update_translations", args=[translation.source_id])
        assert update in body
        assert reverse("wagtailadmin_pages:edit", args=[translated.pk]) in body
        assert reverse("translation_submit_for_review", args=[translated.pk]) in body
        results = client.get(reverse("translations_out_of_date_results"))
        assert results.status_code == 200 and translated.title in results.content.decode()
    # Exported as the other Wagtail reports are.
    for file_format, marker in (("csv", b"Translated page"), ("xlsx", b"PK")):
        export = client.get(report, {"export": file_format})
        assert export.status_code == 200
        assert (
            b"".join(export.streaming_content if export.streaming else [export.content])[:200].find(
                marker
            )
            != -1
        )
    # The menu shows it under Reports.
    assert "Translations out of date" in client.get(reverse("wagtailadmin_home")).content.decode()

    # A fixed number of queries, whatever the number of rows.
    with django_assert_num_queries(3):
        rows = translations_out_of_date(editor)
    assert [row.page.pk for row in rows] == [translated.pk]

    # Synced again: up to date.
    translation.source.update_from_db()
    assert translations_out_of_date(editor) == []


def test_report_query_count_does_not_grow(
    course, spanish, editor, django_assert_num_queries, translate
):
    later = timezone.now() + timedelta(hours=1)
    for tree_course in (course, make_course(modules=1, lessons_per_module=1).course):
        translate(tree_course, spanish)
        _republish_source(tree_course, after=later)
    with django_assert_num_queries(3):
        rows = translations_out_of_date(editor)
    assert len(rows) == 2


def test_report_refused_to_learners_and_to_staff_without_page_permissions(client, learner):
    report = reverse("translations_out_of_date")
    client.force_login(learner)
    assert client.get(report).status_code == 302  # Wagtail sends non-admins to its login
    xhr = {"x-requested-with": "XMLHttpRequest"}
    assert client.get(report, headers=xhr).status_code == 403
    from django.contrib.auth.models import Permission

    staff = UserFactory(is_staff=True)
    staff.user_permissions.add(
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    )
    client.force_login(staff)
    assert client.get(report, headers=xhr).status_code == 403
    response = client.get(report)
    assert response.status_code == 302 and response.url == reverse("wagtailadmin_home")
    assert (
        "Translations out of date" not in client.get(reverse("wagtailadmin_home")).content.decode()
    )
