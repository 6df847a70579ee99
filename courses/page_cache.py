"""Whole pages kept in the cache for visitors who are not signed in.

A course page or a catalogue looks the same to every anonymous visitor in a language, but
rendering it costs the routing queries and the templates on every request. So the first
anonymous request renders it as usual and keeps the HTML; the next ones are answered from
the cache before routing, with no query at all.

What may be cached: GET or HEAD, no query string, no session cookie and no messages cookie
(nothing personal can be on the page), a page whose model sets `anonymous_page_cache = True`,
a 200 answer, a view that neither wrote to the session nor queued a message. The key carries
the host, the path, the language, the site generation and a version that any page save,
delete or move replaces (`courses.cache.pages_changed`), so an edit shows at once; anything
else a page shows (settings, images) is at most `PAGE_SECONDS` old.

The one per-visitor piece of such a page is its CSRF token (the language form): while a page
is rendered for the cache, `csrf_placeholder` gives the templates a placeholder instead, and
every answer, the first one included, gets a fresh token of the visitor's own in its place
(which also sets the CSRF cookie, as rendering the token does). Answers carry an `ETag` of the
cached page and `Cache-Control: private, no-cache`: a browser may revalidate and receive 304,
no shared cache may keep a page holding a visitor's token.

The same pieces serve the signed-in learner's page cache, which lives in `learners` (courses
never imports it): `page_key_base` (the part of a key that any page change makes stale),
`csrf_placeholder_use` and `csrf_token_fill` (the placeholder and its replacement), and
`visitor_state_written` (a view that wrote the session or queued a message is not cached).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from django.middleware.csrf import get_token
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.safestring import mark_safe
from wagtail import views as wagtail_views

from courses.cache import generation, pages_version

PAGE_SECONDS = 5 * 60
CSRF_PLACEHOLDER = "capacitas-csrf-placeholder-7f3c9a"
_FILL_ATTR = "_capacitas_page_cache_key"
_PLACEHOLDER_ATTR = "_capacitas_csrf_placeholder"
CACHE_CONTROL = "private, no-cache"


def csrf_placeholder(request: HttpRequest) -> dict:
    """Context processor: the placeholder for `{% csrf_token %}` while a page is cached."""
    if getattr(request, _FILL_ATTR, None) or getattr(request, _PLACEHOLDER_ATTR, False):
        return {"csrf_token": mark_safe(CSRF_PLACEHOLDER)}  # noqa: S308 (a constant)
    return {}


def csrf_placeholder_use(request: HttpRequest) -> None:
    """Render this request's `{% csrf_token %}` as the placeholder: its page is being cached.
    Whoever asks for it must pass the answer's body through `csrf_token_fill`."""
    setattr(request, _PLACEHOLDER_ATTR, True)


def csrf_placeholder_used(request: HttpRequest) -> bool:
    return bool(getattr(request, _PLACEHOLDER_ATTR, False))


def csrf_token_fill(request: HttpRequest, body: bytes) -> bytes:
    """`body` with the visitor's own CSRF token in place of the placeholder (which also sets
    the CSRF cookie, as rendering the token does)."""
    placeholder = CSRF_PLACEHOLDER.encode()
    if placeholder not in body:
        return body
    return body.replace(placeholder, get_token(request).encode())


def page_key_base(request: HttpRequest) -> str:
    """Site generation, pages version, language, host and path: the part of a whole-page key
    that any page save, delete, move or view restriction (and any site change) makes stale."""
    digest = hashlib.sha256(f"{request.get_host()}|{request.path}".encode()).hexdigest()[:32]
    language = translation.get_language() or "-"
    return f"{generation()}:{pages_version()}:{language}:{digest}"


def visitor_state_written(request: HttpRequest) -> bool:
    """Whether the view wrote to the session or queued a message (its answer is personal)."""
    session = getattr(request, "session", None)
    if session is not None and session.modified:
        return True
    messages = getattr(request, "_messages", None)
    return messages is not None and bool(getattr(messages, "added_new", False))


def _eligible(request: HttpRequest) -> bool:
    if request.method not in ("GET", "HEAD") or request.META.get("QUERY_STRING"):
        return False
    cookies = request.COOKIES
    return settings.SESSION_COOKIE_NAME not in cookies and "messages" not in cookies


def _key(request: HttpRequest) -> str:
    return f"courses:anon-page:{page_key_base(request)}"


def _etag(body: bytes) -> str:
    return '"' + hashlib.sha256(body).hexdigest()[:32] + '"'


def _answer(request: HttpRequest, entry: dict) -> HttpResponse:
    etag = entry["etag"]
    if etag in [tag.strip() for tag in request.headers.get("If-None-Match", "").split(",")]:
        response = HttpResponseNotModified()
    else:
        body = entry["body"].replace(CSRF_PLACEHOLDER.encode(), get_token(request).encode())
        response = HttpResponse(body, content_type=entry["content_type"])
        if entry.get("content_language"):
            response["Content-Language"] = entry["content_language"]
    response["ETag"] = etag
    response["Cache-Control"] = CACHE_CONTROL
    patch_vary_headers(response, ("Cookie", "Accept-Language"))
    return response


def _cacheable(request: HttpRequest, response: HttpResponse) -> bool:
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    page = (getattr(response, "context_data", None) or {}).get("page")
    if not getattr(page, "anonymous_page_cache", False):
        return False
    return not visitor_state_written(request)


class AnonymousPageCacheMiddleware:
    """Serves cached pages to anonymous visitors ahead of routing (see the module's docstring).

    Sits after the locale middleware (the key has the language) and before the page router
    (a hit costs no routing query); CSRF, security and policy headers are still added by the
    middleware around it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        key = getattr(request, _FILL_ATTR, None)
        if not key or response.streaming:
            return response
        body = response.content
        if _cacheable(request, response):
            entry = {
                "body": body,
                "etag": _etag(body),
                "content_type": response["Content-Type"],
                "content_language": response.get("Content-Language", ""),
            }
            cache.set(key, entry, timeout=PAGE_SECONDS)
            response["ETag"] = entry["etag"]
            response["Cache-Control"] = CACHE_CONTROL
            patch_vary_headers(response, ("Cookie", "Accept-Language"))
        response.content = csrf_token_fill(request, body)
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        if view_func is not wagtail_views.serve or not _eligible(request):
            return None
        key = _key(request)
        entry = cache.get(key)
        if entry is not None:
            return _answer(request, entry)
        if request.method == "GET":
            setattr(request, _FILL_ATTR, key)
        return None
