"""One course, several languages: which page a learner's records belong to.

wagtail-localize keeps `translation_key` identical across a page's translations. Records
(enrolments, lesson progress, attempts, workbooks, certificates) point at the *canonical*
page: the translation in the default language (`settings.LANGUAGE_CODE`), or the page itself
when it has no translation in the default language. See docs/translation.md.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TypeVar

from django.conf import settings
from django.db.models import OuterRef, Q, Subquery
from wagtail.models import Page

P = TypeVar("P", bound=Page)


def default_language() -> str:
    return settings.LANGUAGE_CODE


def is_default_locale(page: Page) -> bool:
    """True when `page` is in the default language (no query once `locale` is loaded)."""
    return page.locale.language_code == default_language()


def canonical_page(page: P) -> P:
    """The page a learner's records point at; `page` itself when it is already canonical.

    No query for a page in the default language (its locale cached); one otherwise.
    """
    if is_default_locale(page):
        return page
    canonical = (
        type(page)
        .objects.filter(
            translation_key=page.translation_key, locale__language_code=default_language()
        )
        .select_related("locale")
        .first()
    )
    return canonical if canonical is not None else page


def canonical_pages(pages: Iterable[Page]) -> dict[int, Page]:
    """Page id → its canonical page (specific), for every page given, in one query at most."""
    pages = list(pages)
    result: dict[int, Page] = {}
    pending = []
    for page in pages:
        if is_default_locale(page):
            result[page.pk] = page
        else:
            pending.append(page)
    if pending:
        found = {
            p.translation_key: p
            for p in Page.objects.filter(
                translation_key__in=[p.translation_key for p in pending],
                locale__language_code=default_language(),
            )
            .select_related("locale")
            .specific()
        }
        for page in pending:
            result[page.pk] = found.get(page.translation_key, page)
    return result


def localized_page(canonical: P, language: str) -> P:
    """The live translation of `canonical` in `language`, or `canonical` when there is none."""
    if canonical.locale.language_code == language:
        return canonical
    translation = (
        type(canonical)
        .objects.live()
        .filter(translation_key=canonical.translation_key, locale__language_code=language)
        .select_related("locale")
        .first()
    )
    return translation if translation is not None else canonical


def translated_id(translation_key_path: str, *, like_page_id: int) -> Subquery:
    """An expression for a record's page in the language of page `like_page_id`.

    `translation_key_path` names the record's page key (``"lesson__translation_key"``); the
    result is the id of that page's translation in the locale of `like_page_id` (a subquery,
    so a record query keeps its single query).
    """
    locale = Page.objects.filter(pk=like_page_id).values("locale_id")[:1]
    return Subquery(
        Page.objects.filter(
            translation_key=OuterRef(translation_key_path), locale_id=Subquery(locale)
        ).values("pk")[:1]
    )


def same_page_q(field: str, page_id: int) -> Q:
    """Records whose `field` is page `page_id` or its translation in the default language."""
    key = Page.objects.filter(pk=page_id).values("translation_key")[:1]
    return Q(**{f"{field}_id": page_id}) | Q(
        **{
            f"{field}__translation_key": Subquery(key),
            f"{field}__locale__language_code": default_language(),
        }
    )


def canonical_only_q() -> Q:
    """Pages that are canonical: in the default language, or with no translation in it."""
    default = default_language()
    return Q(locale__language_code=default) | ~Q(
        translation_key__in=Page.objects.filter(locale__language_code=default).values(
            "translation_key"
        )
    )
