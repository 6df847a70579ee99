from urllib.parse import urlencode

from django import template
from django.core.cache import cache

from learners.accounts.selectors import is_hr_officer, membership_requests_pending_count
from learners.hr.signals import NAV_CACHE_SECONDS, nav_cache_key

register = template.Library()


@register.simple_tag(takes_context=True)
def show_hr_link(context) -> bool:
    """Whether the signed-in person sees "HR" in the main navigation.

    Cached per person (every page renders the nav) and cleared when a role changes.
    """
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    return cache.get_or_set(nav_cache_key(user.pk), lambda: is_hr_officer(user), NAV_CACHE_SECONDS)


@register.simple_tag(takes_context=True)
def membership_queue_count(context) -> int:
    """Pending join requests in the viewer's scope, for the HR navigation (one COUNT query)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return 0
    return membership_requests_pending_count(user)


@register.simple_tag
def sort_url(query: dict, key: str) -> str:
    params = {k: v for k, v in query.items() if k not in ("sort", "page")}
    if key != "name":
        params["sort"] = key
    return "?" + urlencode(params)


@register.simple_tag
def page_url(query: dict, number: int) -> str:
    return "?" + urlencode({**query, "page": number})


@register.filter
def get_status(mapping, key):
    try:
        return mapping.get(key, "")
    except AttributeError:
        return ""


@register.filter
def certificate_status_label(value: str) -> str:
    from learners.certificates.models import CertificateStatus

    try:
        return CertificateStatus(value).label
    except ValueError:
        return value
