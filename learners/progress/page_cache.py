"""Whole course and lesson pages kept in the cache for each signed-in learner.

A learner's course page or lesson page costs Django's whole request work on every view: the
page's templates and includes, the progress bars and forms, six or seven queries. Between two
changes of what it shows, it is the same page; so the first request renders it as usual and
keeps the HTML, and the next ones are answered from the cache before routing.

The key: host, path, language, the site generation and pages version that the anonymous page
cache uses (any page save, publish, unpublish, delete, move or view restriction makes it
stale), the person's id, their learner-state version (`learners/common/page_state.py`: any
write about them replaces it) and today's date in the site's time zone (due dates, expiry and
"overdue" change with the day).

Served and kept only for: `LEARNER_PAGE_CACHE` on (the default); GET or HEAD without a query
string; a signed-in person without admin access (staff, superusers and anyone with access to
the admin get Wagtail's user bar and are never served from here); no pending message (no
messages cookie, none in the session); a page whose model sets `learner_page_cache = True`
(course and lesson pages; not SCORM lessons, quizzes or workbooks) or a view decorated with
`learner_page_cached` (My learning, `/learn/`, which shows only the person's own records and
the course outlines, both in the key); a 200 answer that set no
cookie, wrote nothing to the session and queued no message; no view restriction anywhere on
the site (Wagtail's privacy check is then not bypassed); a learner-state version that the
request itself did not replace (a lesson view that wrote renders, and the next view is kept).

A lesson GET may write the view (`lesson_view_note`: a first view, a move to another lesson, or
activity times at least `VIEW_REFRESH` old). A lesson page is kept only when its render wrote
nothing, with the enrolment's `last_activity_at` it was rendered with; every write replaces the
learner-state version, so a kept page's facts are the database's. A hit re-applies the rule
(`lesson_view_due`) with them: once the activity time is `VIEW_REFRESH` old, the request is
rendered as usual, and the gate writes the view (activity times, resume point, xAPI event).

The CSRF token is the one per-visitor piece: rendered as the placeholder of
`courses.page_cache`, and every answer gets the visitor's own token in its place. Answers are
`Cache-Control: private, no-store` (`cms.middleware.PrivateCacheMiddleware`, for every
signed-in answer): no shared cache and no browser disk cache keeps them.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from wagtail import views as wagtail_views

from courses.cache import any_view_restrictions
from courses.page_cache import (
    PAGE_SECONDS,
    csrf_placeholder_use,
    csrf_placeholder_used,
    csrf_token_fill,
    page_key_base,
    visitor_state_written,
)
from courses.selectors.content import is_lesson
from courses.templatetags.authoring import user_can_author
from learners.common.page_state import learner_state_version
from learners.progress.rules import lesson_view_due

_REQUEST_ATTR = "_capacitas_learner_page"
_LESSON_VIEW_ATTR = "_capacitas_lesson_view"
SESSION_MESSAGES_KEY = "_messages"  # django.contrib.messages' SessionStorage
MESSAGES_COOKIE = "messages"  # its CookieStorage


def enabled() -> bool:
    return bool(getattr(settings, "LEARNER_PAGE_CACHE", True))


def lesson_view_noted(request: HttpRequest, *, wrote: bool, last_activity_at: datetime | None):
    """The gate's record of the lesson view of this request (see the module's docstring)."""
    setattr(request, _LESSON_VIEW_ATTR, {"wrote": wrote, "last_activity_at": last_activity_at})


def learner_page_cached(view: Callable) -> Callable:
    """Mark a view (outermost decorator) whose answer depends only on what the key holds: the
    person's own records, published pages, language and date. It is then kept and served
    like a course page."""
    view.learner_page_cache = True
    return view


def _learner(request: HttpRequest):
    """The signed-in learner whose pages may be served from here, or None."""
    if request.method not in ("GET", "HEAD") or request.META.get("QUERY_STRING"):
        return None
    if request.COOKIES.get(MESSAGES_COOKIE):
        return None  # an empty one is a deleted cookie that a client still sends
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or user.is_staff or user.is_superuser:
        return None
    session = getattr(request, "session", None)
    if session is not None and SESSION_MESSAGES_KEY in session:
        return None
    if user_can_author(user):
        return None
    return user


def _key(request: HttpRequest, user_id: int, state: str) -> str:
    today = timezone.localdate().isoformat()
    return f"learners:page:{page_key_base(request)}:{user_id}:{state}:{today}"


def _fresh(entry: dict) -> bool:
    """A kept lesson page may answer only while viewing it again would write nothing."""
    if not entry.get("lesson"):
        return True
    return not lesson_view_due(
        lesson_id=0,
        viewed=True,
        last_lesson_id=0,
        last_activity_at=entry["last_activity_at"],
        now=timezone.now(),
    )


def _answer(request: HttpRequest, entry: dict) -> HttpResponse:
    response = HttpResponse(csrf_token_fill(request, entry["body"]), content_type=entry["type"])
    if entry.get("language"):
        response["Content-Language"] = entry["language"]
    patch_vary_headers(response, ("Cookie", "Accept-Language"))
    return response


def _entry(request: HttpRequest, response: HttpResponse, pending: dict) -> dict | None:
    """What to keep of this answer, or None when it must not be kept."""
    if response.status_code != 200 or response.streaming or response.cookies:
        return None
    if pending["view"]:
        lesson = False
    else:
        page = (getattr(response, "context_data", None) or {}).get("page")
        if not getattr(page, "learner_page_cache", False):
            return None
        lesson = is_lesson(page)
    view = getattr(request, _LESSON_VIEW_ATTR, None)
    if lesson and (view is None or view["wrote"] or view["last_activity_at"] is None):
        return None  # not an enrolled learner's view, or one that wrote
    if visitor_state_written(request) or any_view_restrictions():
        return None
    if learner_state_version(pending["user_id"]) != pending["state"]:
        return None  # something about this learner changed while the page was rendered
    return {
        "body": response.content,
        "type": response["Content-Type"],
        "language": response.get("Content-Language", ""),
        "lesson": lesson,
        "last_activity_at": view["last_activity_at"] if lesson else None,
    }


def mark_page(page, request: HttpRequest) -> None:
    """`before_serve_page`: a page that will be kept renders the CSRF placeholder."""
    if getattr(page, "learner_page_cache", False) and getattr(request, _REQUEST_ATTR, None):
        csrf_placeholder_use(request)


class LearnerPageCacheMiddleware:
    """Serves a signed-in learner's cached course and lesson pages (and marked views) ahead of
    routing.

    Sits after the anonymous page cache and before the page router (a hit costs no routing
    query), inside the session, authentication, message and CSRF middleware."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        pending = getattr(request, _REQUEST_ATTR, None)
        if not pending or not csrf_placeholder_used(request) or response.streaming:
            return response
        entry = _entry(request, response, pending) if request.method == "GET" else None
        if entry is not None:
            cache.set(pending["key"], entry, timeout=PAGE_SECONDS)
            patch_vary_headers(response, ("Cookie", "Accept-Language"))
        response.content = csrf_token_fill(request, response.content)
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        # Wagtail pages opt in through their model (`mark_page` sees which); views by the mark.
        marked_view = getattr(view_func, "learner_page_cache", False)
        if (view_func is not wagtail_views.serve and not marked_view) or not enabled():
            return None
        user = _learner(request)
        if user is None:
            return None
        state = learner_state_version(user.pk)
        key = _key(request, user.pk, state)
        entry = cache.get(key)
        if entry is not None and _fresh(entry):
            return _answer(request, entry)
        setattr(
            request,
            _REQUEST_ATTR,
            {"key": key, "user_id": user.pk, "state": state, "view": marked_view},
        )
        if marked_view:
            csrf_placeholder_use(request)
        return None
