"""The Spanish edition of the demo, as wagtail-localize translations (idempotent).

The Spanish texts live in `content/es/` (course files mirror the English ones; site-wide texts
follow `content/es/README-site.md`). They are not loaded as separate pages: each English page
becomes a wagtail-localize translation source, each Spanish text is recorded as the
translation of the matching English segment, and wagtail-localize writes the Spanish page. So
trainers find a complete translation in the admin ("Translate this page" shows every segment
translated and in sync), and everything that is not text (answer keys, points, pass marks,
attempt and time limits, draw counts, images) comes from the English source on every sync.

Segments are matched by their place in the page: the same field, the same StreamField block
(the Spanish data is laid over the English blocks, whose ids it keeps) and the same order
within it. Running the loader again translates nothing twice and publishes nothing new.
"""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

from django.db import transaction
from wagtail.fields import StreamField
from wagtail.models import Locale, Page
from wagtail_localize.models import (
    StringSegment,
    StringTranslation,
    Translation,
    TranslationSource,
)
from wagtail_localize.segments import StringSegmentValue
from wagtail_localize.segments.extract import extract_segments

from cms.sanitize import sanitize
from courses.models import LessonPage, ModulePage, QuizPage, WorkbookPage

from .quizzes import question_block
from .site import FLAGSHIP_SLUG, _clean_block

ES_DIR = Path(__file__).parent / "content" / "es"
LANGUAGE = "es"


def read_es(name: str) -> dict:
    return json.loads((ES_DIR / name).read_text(encoding="utf-8"))


def _overlay(english, spanish):
    """`spanish` laid over `english` raw StreamField data: its texts, the English ids and the
    English non-text values (so a Spanish file cannot change a key, a point or a flag)."""
    if isinstance(english, dict) and "type" in english and "value" in english:
        if isinstance(spanish, dict) and "type" in spanish and "value" in spanish:
            spanish = spanish["value"]
        return {**english, "value": _overlay(english["value"], spanish)}
    if isinstance(english, dict) and isinstance(spanish, dict):
        return {k: _overlay(v, spanish[k]) if k in spanish else v for k, v in english.items()}
    if isinstance(english, list) and isinstance(spanish, list):
        if len(english) == len(spanish):
            return [_overlay(e, s) for e, s in zip(english, spanish, strict=True)]
        return _overlay_blocks(english, spanish)
    if isinstance(english, str) and isinstance(spanish, str):
        return spanish
    return english


def _overlay_blocks(english: list, spanish: list) -> list:
    """Blocks added to the English page after it was loaded (the toolkit's practice documents)
    have no Spanish counterpart: walk both lists, pairing blocks of the same type in order, and
    keep an English block the Spanish list does not have."""
    merged, j = [], 0
    for block in english:
        theirs = spanish[j] if j < len(spanish) else None
        if (
            isinstance(block, dict)
            and isinstance(theirs, dict)
            and block.get("type") == theirs.get("type")
        ):
            merged.append(_overlay(block, theirs))
            j += 1
        else:
            merged.append(block)
    return merged


def _shadow(page: Page, values: dict) -> Page:
    """An unsaved copy of the English `page` carrying the Spanish `values`."""
    shadow = page.__class__.objects.get(pk=page.pk)
    for name, value in values.items():
        field = page._meta.get_field(name)
        if isinstance(field, StreamField):
            raw = list(getattr(page, name).raw_data)
            value = field.to_python(json.dumps(_overlay(raw, value), default=str))
        setattr(shadow, name, value)
    return shadow


def _strings_by_path(instance: Page) -> dict[str, list[str]]:
    strings: dict[str, list[str]] = defaultdict(list)
    for segment in extract_segments(instance):
        if isinstance(segment, StringSegmentValue):
            strings[segment.path].append(segment.string.data)
    return strings


def translate_page(page: Page, values: dict, locale: Locale) -> tuple[Page | None, list[str]]:
    """Record `values` (Spanish) as the translation of English `page`; publish it if changed.

    Returns the Spanish page and the paths whose segments did not line up (left in English).
    """
    page = Page.objects.get(pk=page.pk).specific  # as saved (the toolkit edits the home page)
    source, created = TranslationSource.get_or_create_from_instance(page)
    source_changed = False
    if not created:
        before = source.content_json
        source.update_from_db()
        # The English page was edited since the last sync (a key, points, a pass mark): the
        # Spanish page must be synced again even when no Spanish text changes.
        source_changed = source.content_json != before
    translation, new_translation = Translation.objects.get_or_create(
        source=source, target_locale=locale, defaults={"enabled": True}
    )
    english = _strings_by_path(page)
    spanish = _strings_by_path(_shadow(page, values))
    rows = {
        (row.context.path, row.string.data): row
        for row in StringSegment.objects.filter(source=source).select_related("string", "context")
    }
    changed = new_translation or source_changed
    unmatched = []
    for path, english_strings in english.items():
        spanish_strings = spanish.get(path, [])
        if len(spanish_strings) != len(english_strings):
            unmatched.append(path)
            continue
        for english_text, spanish_text in zip(english_strings, spanish_strings, strict=True):
            row = rows.get((path, english_text))
            if row is None or english_text == spanish_text:
                continue
            existing = StringTranslation.objects.filter(
                translation_of=row.string, locale=locale, context=row.context
            ).first()
            if existing is not None and existing.data == spanish_text:
                continue
            StringTranslation.objects.update_or_create(
                translation_of=row.string,
                locale=locale,
                context=row.context,
                defaults={
                    "data": spanish_text,
                    "translation_type": StringTranslation.TRANSLATION_TYPE_MANUAL,
                },
            )
            changed = True
    target = page.get_translation_or_none(locale)
    if changed or target is None or not target.live:
        # Saved as a draft, then published here: save_target(publish=True) would publish in a
        # transaction.on_commit callback, which never runs when the loader is itself inside an
        # outer transaction (a test), leaving the Spanish pages unpublished.
        translation.save_target(publish=False)
        target = page.get_translation(locale)
        target.get_latest_revision().publish()
        target.refresh_from_db()
    return target.specific, unmatched


def _course_values(data: dict) -> dict:
    return {
        "title": data["title"],
        "slug": data["slug"],
        "summary": data["summary"],
        "description": sanitize(data["description"]),
        "learning_outcomes": [{"type": "outcome", "value": o} for o in data["learning_outcomes"]],
        "audience": data["audience"],
        "prerequisites": data["prerequisites"],
    }


def _quiz_values(data: dict) -> dict:
    return {
        "title": data["title"],
        "slug": data["slug"],
        "intro": data.get("intro", ""),
        "questions": [question_block(q) for q in data["questions"]],
    }


def _flagship_pairs(course) -> list[tuple[Page, dict]]:
    """(English page, Spanish values) for the flagship course, parents before children."""
    pairs: list[tuple[Page, dict]] = [(course, _course_values(read_es("course.json")))]
    english_dir = ES_DIR.parent
    for path in sorted(ES_DIR.glob("module_*.json")):
        english_data = json.loads((english_dir / path.name).read_text(encoding="utf-8"))
        data = json.loads(path.read_text(encoding="utf-8"))
        module = ModulePage.objects.child_of(course).filter(slug=english_data["slug"]).first()
        if module is None:
            continue
        pairs.append((module, {k: data[k] for k in ("title", "slug", "summary")}))
        for english_lesson, lesson in zip(english_data["lessons"], data["lessons"], strict=True):
            page = LessonPage.objects.child_of(module).filter(slug=english_lesson["slug"]).first()
            if page is not None:
                values = {k: lesson[k] for k in ("title", "slug", "intro")}
                values["body"] = [_clean_block(block) for block in lesson["body"]]
                pairs.append((page, values))
        if "quiz" in data:
            quiz = QuizPage.objects.child_of(module).filter(slug=english_data["quiz"]["slug"])
            if quiz.exists():
                pairs.append((quiz.first(), _quiz_values(data["quiz"])))
    english_final = json.loads((english_dir / "final_assessment.json").read_text("utf-8"))
    final = QuizPage.objects.child_of(course).filter(slug=english_final["slug"]).first()
    if final is not None:
        pairs.append((final, _quiz_values(read_es("final_assessment.json"))))
    for slug, values in read_es("workbook.json").items():
        workbook = WorkbookPage.objects.child_of(course).filter(slug=slug).first()
        if workbook is not None:
            pairs.append((workbook, values))
    return pairs


def load_spanish(site: dict) -> dict:
    """Spanish locale; Spanish home, standard pages, catalogue, flagship course and workbook.

    The three short demo courses and the toolkit's documents stay in English: under /es/ they
    show the "not available in Spanish" path of the language switcher.
    """
    with transaction.atomic():
        locale, _ = Locale.objects.get_or_create(language_code=LANGUAGE)
        home = site["home"]
        texts = read_es("site.json")
        toolkit_texts = read_es("toolkit.json")
        home_values = {**texts["home"]}
        toolkit = (site.get("toolkit") or {}).get("page")
        if toolkit is not None:
            marker = f'linktype="page" id="{toolkit.pk}"'
            home_values["intro"] += toolkit_texts["home"]["intro_toolkit_paragraph"].replace(
                "{marker}", marker
            )
        pairs: list[tuple[Page, dict]] = [(home, home_values)]
        for slug in ("accessibility", "privacy"):
            page = Page.objects.child_of(home).filter(slug=slug).first()
            if page is not None:
                pairs.append((page, texts[slug]))
        pairs.append((site["catalogue"], texts["courses"]))
        if toolkit is not None:
            pairs.append((toolkit, toolkit_texts["toolkit"]))
        course = site["course"]
        if course.slug == FLAGSHIP_SLUG:
            pairs.extend(_flagship_pairs(course))
        translated: dict[int, Page] = {}
        unmatched: dict[str, list[str]] = {}
        for page, values in pairs:
            target, missed = translate_page(page, values, locale)
            translated[page.pk] = target
            if missed:
                unmatched[page.url_path] = missed
    return {"locale": locale, "pages": translated, "unmatched": unmatched}
