"""What makes cached outlines and routes stale: any change to a page of a course, a move, a site.

Saving a page (which publishing, unpublishing and every new revision do) or deleting one
makes the outline of its course stale: the courses at or above the page's place in the tree,
and below it (a catalogue renamed changes the URLs of its courses). Moving a page can renumber
the tree paths of its siblings, and a change to a site can change every URL, so those make
every outline stale. `page_published` and `page_unpublished` repeat what the save already did;
they are kept so a change that bypasses `save()` in a future Wagtail still lands.
"""

from django.db.models import Q
from django.db.models.signals import post_delete, post_save
from wagtail.models import Page, PageViewRestriction, Site
from wagtail.signals import page_published, page_unpublished, post_page_move

from courses import cache as outline_cache


def _courses_touching(page: Page) -> list[int]:
    from courses.models import CoursePage

    path = page.path or ""
    if not path:
        return []
    steplen = Page.steplen
    prefixes = [path[:end] for end in range(steplen, len(path) + 1, steplen)]
    ids = set(
        CoursePage.objects.filter(Q(path__in=prefixes) | Q(path__startswith=path)).values_list(
            "pk", flat=True
        )
    )
    if isinstance(page, CoursePage) and page.pk:
        ids.add(page.pk)  # also when it is being deleted
    return list(ids)


def _is_catalogue(page: Page) -> bool:
    from courses.models import CourseCataloguePage

    # A base Page instance (saved by treebeard, say) knows its type by its content type.
    return issubclass(page.specific_class or Page, CourseCataloguePage)


def page_changed(sender, instance, **kwargs) -> None:
    if isinstance(instance, Page):
        if instance.depth is not None and instance.depth <= 2:
            # A site's root page or one of its translations: the cached sites (and their
            # roots per language, courses/routing.py) are stale.
            outline_cache.everything_changed()
            return
        outline_cache.courses_changed(_courses_touching(instance))
        outline_cache.pages_changed()
        if _is_catalogue(instance):
            # Renamed, unpublished, created or deleted: the header's link to it is stale.
            outline_cache.tree_value_changed(outline_cache.CATALOGUE_URL)


def page_moved(sender, instance, **kwargs) -> None:
    outline_cache.everything_changed()
    outline_cache.pages_changed()


def site_changed(sender, instance, **kwargs) -> None:
    outline_cache.everything_changed()


def restrictions_changed(sender, instance, **kwargs) -> None:
    outline_cache.view_restrictions_changed()
    outline_cache.pages_changed()


def scorm_package_deleted(sender, instance, **kwargs) -> None:
    """A deleted package's files go once the deletion is committed (a rollback keeps them)."""
    from django.db import transaction

    from courses.scorm.storage import package_files_delete

    paths = [f"{instance.prefix}/{name}" for name in instance.files or []]
    transaction.on_commit(lambda: package_files_delete(paths))


def connect() -> None:
    from courses.models import ScormPackage

    post_delete.connect(
        scorm_package_deleted, sender=ScormPackage, dispatch_uid="courses_scorm_package_deleted"
    )
    post_save.connect(page_changed, dispatch_uid="courses_outline_page_saved")
    post_delete.connect(page_changed, dispatch_uid="courses_outline_page_deleted")
    page_published.connect(page_changed, dispatch_uid="courses_outline_page_published")
    page_unpublished.connect(page_changed, dispatch_uid="courses_outline_page_unpublished")
    post_page_move.connect(page_moved, dispatch_uid="courses_outline_page_moved")
    for name, signal in (("saved", post_save), ("deleted", post_delete)):
        signal.connect(site_changed, sender=Site, dispatch_uid=f"courses_site_{name}")
        signal.connect(
            restrictions_changed,
            sender=PageViewRestriction,
            dispatch_uid=f"courses_restrictions_{name}",
        )
