"""Addresses that depend on the language the page is read in."""

from __future__ import annotations

from django import template
from django.core.cache import cache
from django.utils import translation

from courses.cache import generation
from courses.models import CourseCataloguePage

register = template.Library()

CATALOGUE_SECONDS = 60 * 60


@register.simple_tag(takes_context=True)
def catalogue_url(context) -> str:
    """The course catalogue in the active language (its slug is translated: /es/cursos/).

    Every page's header links to it, so the address is cached per language and site-wide
    generation (a page moved, a site changed): no query once warm.
    """
    language = translation.get_language() or "-"
    key = f"cms:catalogue-url:{generation()}:{language}"
    url = cache.get(key)
    if url is None:
        catalogue = CourseCataloguePage.objects.live().order_by("path").first()
        url = catalogue.localized.get_url(request=context.get("request")) if catalogue else "/"
        cache.set(key, url or "/", timeout=CATALOGUE_SECONDS)
    return url
