"""Who may frame the tool's pages: the registered platforms, named in `frame-ancestors`.

The site's policy is `frame-ancestors 'self'` with X-Frame-Options SAMEORIGIN. A launch, the
deep-linking picker, and every page of a session that a launch started may also be framed by
the platform(s) that registered Capacitas; no one else.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.http import HttpRequest, HttpResponse

from learners.lti.selectors import registered_origins, registration_origin

SESSION_REGISTRATION = "lti_registration_id"


def allow_framing(response: HttpResponse, origins: list[str]) -> HttpResponse:
    """Add `origins` to the response's frame-ancestors and drop X-Frame-Options."""
    if not origins:
        return response
    for suffix in ("", "_ro"):
        config = getattr(response, f"_csp_config{suffix}", None)
        if config is not None:
            # A view's own full policy (the SCORM package frame): widen its frame-ancestors.
            config = dict(config)
            config["frame-ancestors"] = [*config.get("frame-ancestors", ["'self'"]), *origins]
            setattr(response, f"_csp_config{suffix}", config)
        else:
            update = dict(getattr(response, f"_csp_update{suffix}", None) or {})
            update["frame-ancestors"] = [*update.get("frame-ancestors", []), *origins]
            setattr(response, f"_csp_update{suffix}", update)
    response.xframe_options_exempt = True
    if "X-Frame-Options" in response.headers:
        del response.headers["X-Frame-Options"]
    return response


def framed_by_platforms(view: Callable) -> Callable:
    """For the launch, login and picker views: any active registration's origin may frame."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs):
        response = view(request, *args, **kwargs)
        return allow_framing(response, registered_origins())

    return wrapped


class LtiFramingMiddleware:
    """Pages of a session an LTI launch started may be framed by that launch's platform."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        session = getattr(request, "session", None)
        registration_id = session.get(SESSION_REGISTRATION) if session is not None else None
        if registration_id and not getattr(response, "xframe_options_exempt", False):
            allow_framing(response, registration_origin(registration_id))
        return response
