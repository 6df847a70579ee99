from wagtail.models import PageViewRestriction

from courses.cache import any_view_restrictions


class CachedViewRestrictionsMixin:
    """Skips Wagtail's privacy lookup (two queries on every page view) while no page at all has
    a view restriction, which is how learning sites run; once one exists, Wagtail decides."""

    def get_view_restrictions(self):
        if not any_view_restrictions():
            return PageViewRestriction.objects.none()
        return super().get_view_restrictions()
