"""Routing a page request in two queries instead of two per level of the tree.

Wagtail finds the site (one query), loads the root page's specific object, then walks the path
one slug at a time, each step a query for the child and another for its specific object: ten
queries for a lesson five levels down, a quarter of the lesson page's time. A page's
`url_path` is the chain of its slugs, so the pages named by every prefix of the requested path
are found in one query (by slug, an indexed column, and url_path), and the page itself in one
more. The site is cached. Whatever this fast path cannot vouch for (a page type with its own
`route`, a path that does not resolve) is left to Wagtail's own routing, so the result is the
same page Wagtail would have served. With translations, Wagtail routes from the translation of
the site's root page in the active language when it is live (`root_page.localized`), else from
the root itself; the cached site keeps every translation of its root, so that choice costs no
query either.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.http import HttpRequest
from django.http.request import split_domain_port
from django.utils import translation
from wagtail import views as wagtail_views
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Page, Site
from wagtail.url_routing import RouteResult

from courses.cache import generation

SITE_SECONDS = 60 * 60
_ROUTE_ATTR = "_capacitas_route"


@dataclass
class RoutedChain:
    """The pages the request's path names, from the top down (ids only)."""

    page_ids: list[int]
    course_id: int | None


def _site_key(generation: str, hostname: str, port: int | str) -> str:
    return f"courses:site:{generation}:{hostname}:{port}"


def _site_data(site: Site) -> dict:
    root = site.root_page
    translations = {
        language_code: {"url_path": url_path, "content_type_id": content_type_id}
        for language_code, url_path, content_type_id in Page.objects.filter(
            translation_key=root.translation_key, live=True
        )
        .exclude(pk=root.pk)
        .values_list("locale__language_code", "url_path", "content_type_id")
    }
    return {
        "fields": {
            "id": site.pk,
            "hostname": site.hostname,
            "port": site.port,
            "site_name": site.site_name,
            "root_page_id": site.root_page_id,
            "is_default_site": site.is_default_site,
        },
        "root_url_path": root.url_path,
        "root_content_type_id": root.content_type_id,
        "root_locale_id": root.locale_id,
        "root_translations": translations,
    }


def site_for_request(request: HttpRequest) -> tuple[Site, dict] | None:
    """The request's site (Wagtail's own matching rules) and its root, cached per host and port."""
    hostname = split_domain_port(request._get_raw_host())[0]
    port = request.get_port()
    key = _site_key(generation(), hostname, port)
    data = cache.get(key)
    if data is None:
        site = Site._find_for_request(request)
        if site is None:
            return None
        data = _site_data(site)
        cache.set(key, data, timeout=SITE_SECONDS)
    return Site(**data["fields"]), data


def _routes_itself(model) -> bool:
    return model is None or model.route is not Page.route


def _localized_root(data: dict) -> dict:
    """`site.root_page.localized`: its live translation in the active language, or itself."""
    root = {"url_path": data["root_url_path"], "content_type_id": data["root_content_type_id"]}
    if not getattr(settings, "WAGTAIL_I18N_ENABLED", False):
        return root
    try:
        language = get_supported_content_language_variant(translation.get_language())
    except LookupError:
        return root
    return data.get("root_translations", {}).get(language, root)


def route_request(request: HttpRequest, path: str) -> None:
    """Resolve `path` for Wagtail's serve view ahead of it, when the fast path applies."""
    from courses.models import CoursePage

    if hasattr(request, "_wagtail_route_for_request"):
        return
    found = site_for_request(request)
    if found is None:
        return
    site, data = found
    components = [component for component in path.split("/") if component]
    if not components:
        return  # the home page: Wagtail's route costs no more than this one
    root = _localized_root(data)
    if _routes_itself(ContentType.objects.get_for_id(root["content_type_id"]).model_class()):
        return
    wanted = [
        root["url_path"] + "/".join(components[:n]) + "/" for n in range(1, 1 + len(components))
    ]
    rows = {
        url_path: (page_id, content_type_id, live)
        for page_id, url_path, content_type_id, live in Page.objects.filter(
            slug__in=set(components), url_path__in=wanted
        )
        .order_by()  # one row per path: sorting (by tree path) would only cost compiling
        .values_list("id", "url_path", "content_type_id", "live")
    }
    if len(rows) != len(wanted):
        return  # not a page (Wagtail answers 404), or a page type routing its own sub-paths
    chain = [rows[url_path] for url_path in wanted]
    models = [
        ContentType.objects.get_for_id(content_type_id).model_class()
        for _, content_type_id, _ in chain
    ]
    if any(_routes_itself(model) for model in models):
        return
    request._wagtail_site = site
    page_id, _, live = chain[-1]
    if not live:
        request._wagtail_route_for_request = None  # what Wagtail's route gives: 404
        return
    page = next(iter(models[-1]._default_manager.filter(pk=page_id).order_by()[:1]), None)
    if page is None:
        return
    course_ids = [
        pid
        for (pid, _, _), model in zip(chain, models, strict=True)
        if issubclass(model, CoursePage)
    ]
    request._wagtail_route_for_request = RouteResult(page)
    setattr(
        request,
        _ROUTE_ATTR,
        RoutedChain(
            page_ids=[pid for pid, _, _ in chain], course_id=course_ids[-1] if course_ids else None
        ),
    )


def routed_course_id(request: HttpRequest | None, page: Page) -> int | None:
    """The course above `page` as the router found it, if this request was routed here."""
    chain = getattr(request, _ROUTE_ATTR, None)
    if chain is None or not chain.page_ids or chain.page_ids[-1] != page.pk:
        return None
    return chain.course_id


class PageRouteMiddleware:
    """Routes requests for Wagtail pages in two queries (see the module's docstring)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if view_func is wagtail_views.serve:
            path = view_args[0] if view_args else view_kwargs.get("path", "")
            route_request(request, path or "")
        return None
