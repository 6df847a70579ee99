"""Which page a request's path names, and its address in another language.

The language switcher (`cms.views.language_switch`) and the redirect of old unprefixed
addresses (`cms.middleware.LanguagePrefixRedirectMiddleware`) both need to know whether a path
is a Wagtail page and, if so, which translation of it is live in a given language.
"""

from __future__ import annotations

from django.conf import settings
from django.http import Http404, HttpRequest
from django.urls import Resolver404, resolve, translate_url
from django.utils import translation
from wagtail import views as wagtail_views
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Locale, Page, Site


def language_codes() -> list[str]:
    return [code for code, _ in settings.LANGUAGES]


def split_language(path: str) -> tuple[str | None, str]:
    """(`es`, `/courses/x/`) for `/es/courses/x/`; (None, path) when unprefixed."""
    first, _, rest = path.lstrip("/").partition("/")
    if first in language_codes():
        return first, "/" + rest
    return None, path


def page_for_path(request: HttpRequest, path: str) -> Page | None:
    """The live page a language-prefixed `path` serves (as Wagtail routes it), or None."""
    language, _ = split_language(path)
    if language is None:
        return None
    try:
        with translation.override(language):  # i18n_patterns match the active language only
            match = resolve(path)
    except Resolver404:
        return None
    if match.func is not wagtail_views.serve:
        return None
    page_path = match.args[0] if match.args else match.kwargs.get("path", "")
    site = Site.find_for_request(request)
    if site is None:
        return None
    with translation.override(language):
        root = site.root_page.localized.specific
        try:
            found = root.route(request, [part for part in page_path.split("/") if part])
        except Http404:
            return None
    page = found.page if hasattr(found, "page") else found[0]
    return page if page.live else None


def translation_in(page: Page, language: str) -> Page | None:
    """The live translation of `page` in `language` (the page itself if it is in it)."""
    try:
        code = get_supported_content_language_variant(language)
    except LookupError:
        return None
    locale = Locale.objects.filter(language_code=code).first()
    if locale is None:
        return None
    if page.locale_id == locale.pk:
        return page
    return page.get_translations().filter(locale=locale, live=True).first()


def address_in(request: HttpRequest, path: str, language: str) -> tuple[str, bool]:
    """Where `path` is in `language`, and whether that is the same page in that language.

    A Wagtail page goes to its translation when one is live; a page without one stays where it
    is (False). Any other page (My learning, the HR dashboard, sign-in) exists in every
    language: its prefix changes.
    """
    page = page_for_path(request, path)
    if page is not None:
        target = translation_in(page, language)
        if target is None:
            return path, False
        return target.get_url(request=request), True
    with translation.override(split_language(path)[0] or settings.LANGUAGE_CODE):
        translated = translate_url(path, language)
    if translated == path and split_language(path)[0] not in (None, language):
        return path, False
    return translated, True
