"""A trainer follows the "Translations out of date" report to submit a Spanish translation for
review: the report and the confirmation page pass axe (serious and critical findings)."""

from datetime import timedelta

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django.contrib.auth.models import Group
from django.test import Client
from django.utils import timezone
from wagtail.models import Locale, Page, WorkflowState
from wagtail_localize.operations import translate_object

from cms.demo.site import TRAINERS, ensure_authoring
from tests.factories import UserFactory, catalogue_page, home_page, make_course, wagtail_roots

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def _serious(page) -> list:
    results = Axe().run(page)
    return [
        (v["id"], [node["target"] for node in v["nodes"]])
        for v in results.response["violations"]
        if v.get("impact") in ("serious", "critical")
    ]


def test_trainer_submits_an_out_of_date_translation_for_review(page, live_server):
    wagtail_roots()
    ensure_authoring(catalogue_page())
    course = make_course(modules=1, lessons_per_module=1, title="Planning abroad").course
    spanish, _ = Locale.objects.get_or_create(language_code="es")
    for source in (home_page(), catalogue_page(), course):
        translate_object(source.specific, [spanish])
    translated = Page.objects.get(translation_key=course.translation_key, locale=spanish)
    Page.objects.filter(pk=course.pk).update(last_published_at=timezone.now() + timedelta(hours=1))

    trainer = UserFactory(email="tess@example.org", is_staff=True)
    trainer.groups.add(Group.objects.get(name=TRAINERS))
    client = Client()
    client.force_login(trainer)
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )

    # A shared, busy machine can take more than the suite's 10 s to serve the admin.
    page.set_default_navigation_timeout(60_000)
    page.set_default_timeout(30_000)
    page.goto("/admin/")
    page.get_by_role("button", name="Reports").click()
    page.get_by_role("link", name="Translations out of date").click()
    page.get_by_role("heading", name="Translations out of date").first.wait_for()
    row = page.get_by_role("row").filter(has_text="Planning abroad")
    assert "Spanish" in row.inner_text()
    assert _serious(page) == []

    submit = row.locator(f'a[href="/admin/translations/{translated.pk}/submit-for-review/"]')
    assert "Submit for review" in submit.inner_text()
    submit.click()
    page.get_by_role("heading", name="Submit translation for review").wait_for()
    assert "Course review" in page.content()
    assert _serious(page) == []
    page.get_by_role("button", name="Submit for review").click()
    page.get_by_text("was submitted for review").wait_for()
    assert WorkflowState.objects.active().filter(object_id=str(translated.pk)).exists()
