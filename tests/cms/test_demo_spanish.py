"""`load_demo` loads the Spanish edition as wagtail-localize translations, idempotently."""

import json
from pathlib import Path

import pytest
from django.core.management import call_command
from wagtail.models import Locale, Page, Revision
from wagtail_localize.models import StringTranslation, Translation

from cms.demo.site import FLAGSHIP_SLUG, load_site
from cms.demo.translations import load_spanish
from courses.models import CoursePage, LessonPage, QuizPage, WorkbookPage
from courses.selectors.workbooks import workbook_spec

pytestmark = pytest.mark.django_db

ES = Path(__file__).resolve().parents[2] / "cms" / "demo" / "content" / "es"


def test_the_flagship_course_and_site_pages_are_translated_once_and_in_sync(client):
    call_command("load_demo", verbosity=0)
    spanish = Locale.objects.get(language_code="es")
    before = (Page.objects.count(), Revision.objects.count(), StringTranslation.objects.count())

    # A second run (as `make run` does each time) translates and publishes nothing new.
    result = load_spanish(load_site())
    after = (Page.objects.count(), Revision.objects.count(), StringTranslation.objects.count())
    assert after == before
    # Every segment lines up, the workbook's list items (table columns, choice options,
    # criteria, rubric levels) included: the loader gives them stable ids (cms/demo/workbook.py).
    assert result["unmatched"] == {}
    workbook = WorkbookPage.objects.get(slug="international-action-plan")
    workbook_es = workbook.get_translation(spanish).specific
    spanish_file = json.loads((ES / "workbook.json").read_text())["international-action-plan"]
    ties = workbook_spec(workbook_es)["sections"][0]["fields"][1]
    assert ties["columns"] == spanish_file["sections"][0]["value"]["fields"][1]["value"]["columns"]

    course = CoursePage.objects.get(slug=FLAGSHIP_SLUG, locale__language_code="en")
    course_es = course.get_translation(spanish)
    assert (
        course_es.live and course_es.title == json.loads((ES / "course.json").read_text())["title"]
    )
    for page in [
        *LessonPage.objects.descendant_of(course).live(),
        *QuizPage.objects.descendant_of(course),
    ]:
        translated = page.get_translation_or_none(spanish)
        assert translated is not None and translated.live, page.url_path
        # Through wagtail-localize (a synced translation the admin can edit), not a copy.
        assert Translation.objects.filter(
            source__object_id=page.translation_key, target_locale=spanish
        ).exists(), page.url_path
    for quiz in QuizPage.objects.descendant_of(course):
        quiz_es = quiz.get_translation(spanish).specific
        assert (quiz_es.pass_mark, quiz_es.attempts_allowed, quiz_es.draw_count) == (
            quiz.pass_mark,
            quiz.attempts_allowed,
            quiz.draw_count,
        )
        english_keys = [q["value"].get("correct") for q in quiz.questions.raw_data]
        assert [q["value"].get("correct") for q in quiz_es.questions.raw_data] == english_keys
        assert [q["value"]["points"] for q in quiz_es.questions.raw_data] == [
            q["value"]["points"] for q in quiz.questions.raw_data
        ]
    # The other demo courses stay English-only.
    others = CoursePage.objects.filter(locale__language_code="en").exclude(pk=course.pk)
    assert others.exists()
    assert not any(other.get_translation_or_none(spanish) for other in others)

    home = client.get("/es/")
    html = home.content.decode()
    assert home.status_code == 200 and '<html lang="es">' in html
    assert json.loads((ES / "site.json").read_text())["home"]["headline"] in html
    lesson_es = LessonPage.objects.descendant_of(course_es).live().first()
    assert lesson_es.url.startswith("/es/")
