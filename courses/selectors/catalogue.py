"""The catalogue, search and the lists of courses other pages show.

Every function here costs a fixed number of queries, whatever the size of the course.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from django.conf import settings
from django.db.models import QuerySet
from django.utils import translation
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Locale, Page

from courses.cache import CATALOGUE_URL, tree_value
from courses.models import (
    CourseCataloguePage,
    CoursePage,
    LessonPage,
    Level,
    Topic,
)


@dataclass(frozen=True)
class CatalogueFilters:
    topic: str = ""
    level: str = ""
    language: str = ""

    @classmethod
    def from_querydict(cls, data: Mapping[str, str]) -> CatalogueFilters:
        """Keep only values that name a real choice; anything else is ignored, not an error."""
        level = data.get("level", "")
        language = data.get("language", "")
        topic = data.get("topic", "")[:80]
        return cls(
            topic=topic,
            level=level if level in Level.values else "",
            language=language if language in dict(settings.LANGUAGES) else "",
        )

    @property
    def active(self) -> bool:
        return bool(self.topic or self.level or self.language)


def courses_published() -> QuerySet[CoursePage]:
    return (
        CoursePage.objects.live()
        .public()
        .select_related("cover_image")
        .prefetch_related("topics")
        .order_by("title")
    )


def catalogue_first() -> CourseCataloguePage | None:
    return CourseCataloguePage.objects.live().order_by("path").first()


def catalogue_url(request=None) -> str:
    """The catalogue's address in the active language (its slug is translated: /es/cursos/),
    "/" without one. Every page's header links to it, so it is kept in the cache until a
    catalogue page is saved, deleted or moved, or a site changes (courses/signals.py): no
    query once warm."""

    def build() -> str:
        catalogue = catalogue_first()
        return (catalogue.localized.get_url(request=request) if catalogue else None) or "/"

    return tree_value(CATALOGUE_URL, build)


def catalogue_courses(catalogue: Page, filters: CatalogueFilters) -> QuerySet[CoursePage]:
    courses = courses_published().child_of(catalogue)
    if filters.topic:
        courses = courses.filter(topics__slug=filters.topic)
    if filters.level:
        courses = courses.filter(level=filters.level)
    if filters.language:
        courses = courses.filter(language=filters.language)
    return courses.distinct()


@dataclass(frozen=True)
class CatalogueFacets:
    topics: list[Topic]
    levels: list[tuple[str, str]]
    languages: list[tuple[str, str]]


def catalogue_facets() -> CatalogueFacets:
    return CatalogueFacets(
        topics=list(Topic.objects.filter(coursepage__live=True).distinct().order_by("name")),
        levels=list(Level.choices),
        languages=[(code, str(name)) for code, name in settings.LANGUAGES],
    )


def search_terms(query: str) -> str:
    """Words only: quotes, brackets and operators would reach the database's full-text syntax
    (SQLite FTS5 fails on an unbalanced quote), so searches are for plain words."""
    return " ".join(re.findall(r"\w+", query))


def search_content(query: str):
    """Full-text search over published courses and lessons in the active language.

    A Spanish reader searches the Spanish pages (a course not translated is not found under
    /es/search/, it is under /en/search/); the language is the one the URL carries.
    """
    query = search_terms(query)
    if not query:
        return Page.objects.none()
    pages = Page.objects.live().public()
    if getattr(settings, "WAGTAIL_I18N_ENABLED", False):
        locale = Locale.objects.filter(
            language_code=get_supported_content_language_variant(translation.get_language())
        ).first()
        if locale is None:
            return Page.objects.none()
        pages = pages.filter(locale=locale)
    return pages.type(CoursePage, LessonPage).specific().search(query, operator="and")


# --- Course structure --------------------------------------------------------------------------
