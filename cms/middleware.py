"""Site-wide request and response guards: input no database can store, and security headers."""

from __future__ import annotations

import re
from collections.abc import Callable

from csp.middleware import CSPMiddleware
from csp.utils import default_config
from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.middleware.locale import LocaleMiddleware as DjangoLocaleMiddleware
from django.shortcuts import render
from django.urls import Resolver404, get_script_prefix, resolve
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _

from cms import languages
from cms.views import page_not_found
from learners.common.ids import MAX_ID

# NUL is refused by PostgreSQL in every text column (and truncates strings in C libraries);
# the other C0 controls, except TAB, LF and CR, are illegal in XML, so an XLSX export or a
# feed containing them fails; lone surrogates cannot be encoded as UTF-8 at all; U+FFFE and
# U+FFFF are not characters. None of them belongs in a name, an answer or a search.
INVALID_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")

# A path segment of digits only, too long to be a 64-bit id. Wagtail's own admin URLs
# (`<int:page_id>`) would pass it to the database, where SQLite raises OverflowError.
LONG_NUMBER_SEGMENT = re.compile(r"(?:^|/)(\d{19,})(?=/|$)")


def has_invalid_characters(value: str) -> bool:
    return INVALID_CHARACTERS.search(value) is not None


def _querydict_is_clean(data) -> bool:
    for key, values in data.lists():
        if has_invalid_characters(key):
            return False
        for value in values:
            if isinstance(value, str) and has_invalid_characters(value):
                return False
    return True


def _overlong_id_in_path(path: str) -> bool:
    return any(int(match) > MAX_ID for match in LONG_NUMBER_SEGMENT.findall(path))


class InvalidInputMiddleware:
    """Answer 400, with a page that says why, to a request whose path, query string or form
    fields contain characters that cannot be stored; 404 to a path with an impossible id.

    It sits after the session, authentication and message middleware so the error page has
    the usual header (and knows who is signed in), and before any view reads the input.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if has_invalid_characters(request.path) or not _querydict_is_clean(request.GET):
            return self.refuse(request)
        if request.method == "POST" and not _querydict_is_clean(request.POST):
            return self.refuse(request)
        if _overlong_id_in_path(request.path):
            return page_not_found(request)
        return self.get_response(request)

    @staticmethod
    def refuse(request: HttpRequest) -> HttpResponse:
        return render(
            request,
            "400.html",
            {
                "reason": _(
                    "The request contained a character that cannot be stored, such as a null "
                    "character or a control character. Remove it (it often comes from text "
                    "pasted from another program) and try again."
                )
            },
            status=400,
        )


class PrivateCacheMiddleware:
    """`Cache-Control: private, no-store` on every response to a signed-in user and on every
    download, so that no shared cache (a proxy, a CDN) or the browser's disk cache keeps
    personal pages, exports or certificate PDFs. Public pages keep whatever they set."""

    DOWNLOAD_TYPES = (
        "text/csv",
        "application/pdf",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "application/zip",
    )

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        signed_in = user is not None and user.is_authenticated
        content_type = response.get("Content-Type", "").split(";")[0].strip().lower()
        download = content_type in self.DOWNLOAD_TYPES or response.has_header("Content-Disposition")
        if signed_in or download:
            # Replaces whatever a view set (a `public, max-age` included): no-store already
            # forbids every cache to keep it, `private` is for caches that ignore no-store.
            response.headers.pop("Expires", None)
            response["Cache-Control"] = "private, no-store"
        return response


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware, with the looser CSP_ADMIN_DIRECTIVES under CSP_ADMIN_PREFIX
    (the Wagtail admin needs inline scripts and styles; see cms/settings/base.py)."""

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only)
        enforced = (
            settings.CONTENT_SECURITY_POLICY_REPORT_ONLY
            if report_only
            else (settings.CONTENT_SECURITY_POLICY)
        )
        # parts.config is None unless a view chose its own policy with django-csp's decorators.
        if enforced and parts.config is None and request.path.startswith(settings.CSP_ADMIN_PREFIX):
            parts.config = default_config(settings.CSP_ADMIN_DIRECTIVES)
        return parts


class LanguagePrefixRedirectMiddleware:
    """Old addresses without a language (`/learn/`, `/courses/x/`) redirect to their new one.

    The language is the visitor's (the language cookie the switcher sets, else the browser's
    Accept-Language, else the default). A Wagtail page is looked up in the default language,
    where every old address pointed, and goes to its live translation in the visitor's language
    when there is one, else to the default language's page: a Spanish reader following an old
    link to an English-only course reaches the course, not a 404. Only GET and HEAD are
    redirected here (a form posted to an old address is left to Django's LocaleMiddleware).
    The answer is a 302 that varies with the cookie and the header, since it depends on them.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method in ("GET", "HEAD"):
            target = self.target(request)
            if target is not None:
                response = HttpResponseRedirect(target)
                patch_vary_headers(response, ("Accept-Language", "Cookie"))
                return response
        return self.get_response(request)

    @staticmethod
    def target(request: HttpRequest) -> str | None:
        path = request.path_info
        if languages.split_language(path)[0] is not None:
            return None
        try:
            resolve(path)
            return None  # an address that has no language (admin, probes, documents, SSO)
        except Resolver404:
            pass
        language = translation.get_language_from_request(request)
        default = settings.LANGUAGE_CODE
        page = languages.page_for_path(request, f"/{default}{path}")
        if page is not None:
            translated = languages.translation_in(page, language) or page
            target = translated.get_url(request=request)
        else:
            try:
                with translation.override(language):
                    resolve(f"/{language}{path}")
            except Resolver404:
                return None
            target = f"{get_script_prefix().rstrip('/')}/{language}{path}"
        query = request.META.get("QUERY_STRING", "")
        return f"{target}?{query}" if query else target


class LocaleMiddleware(DjangoLocaleMiddleware):
    """Django's, except that a 404 at an address outside the language prefixes stays a 404.

    Django redirects a 404 at `/x` to `/en/x` whenever `/en/x` is a valid path, and Wagtail's
    catch-all page route makes every path valid: a missing quiz report in the admin
    (`/admin/quiz-reports/999999/`) would be answered with a redirect to `/en/admin/…`. Old page
    addresses are redirected before the view by `LanguagePrefixRedirectMiddleware`.
    """

    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        if response.status_code == 404 and languages.split_language(request.path_info)[0] is None:
            try:
                resolve(request.path_info)
            except Resolver404:
                pass
            else:
                response.headers.setdefault("Content-Language", translation.get_language())
                return response
        return super().process_response(request, response)
