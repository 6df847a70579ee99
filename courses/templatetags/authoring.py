"""Whether a visitor sees Wagtail's user bar (edit this page, open the admin)."""

from django import template
from django.core.cache import cache

register = template.Library()

# Wagtail's user bar asks the permission system (two queries) on every page view, for every
# signed-in learner, who can never use it. The answer is cached per person; the admin checks
# permissions itself on every request, so a bar shown or hidden a few minutes after a change
# of groups only shows or hides a link.
AUTHORING_CACHE_SECONDS = 5 * 60


def _key(user_id: int) -> str:
    return f"courses:can-author:{user_id}"


def user_can_author(user) -> bool:
    """Whether a signed-in person has access to the admin (cached, see above)."""
    if user.is_superuser:
        return True
    return cache.get_or_set(
        _key(user.pk), lambda: user.has_perm("wagtailadmin.access_admin"), AUTHORING_CACHE_SECONDS
    )


@register.simple_tag(takes_context=True)
def can_author(context) -> bool:
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return False
    return user_can_author(user)
