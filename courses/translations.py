"""Trainers translating courses: who may translate, review and publish, and what is out of date.

Translating is wagtail-localize's editor; reviewing is the project's moderation workflow
("Course review", cms/demo/site.py); publishing is the editor's approval at the end of it.

- A translated page inherits its source page's group permissions and workflow when it is
  created (`translation_inherits_authoring`, on Wagtail's `copy_for_translation_done`), so the
  Spanish catalogue is authored and reviewed by the same groups as the English one, and a new
  language needs no code.
- `translation_submit_for_review` turns the strings a trainer translated into a draft revision
  of the translated page and starts the workflow on it; approving the last task publishes it.
- `translations_out_of_date` lists translated pages whose source was published after the
  translation last synced from it (wagtail-localize's `TranslationSource.last_updated_at`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.db.models import F, OuterRef, Subquery
from wagtail.models import GroupPagePermission, Page, Workflow, WorkflowPage
from wagtail_localize.models import Translation


class ReviewRefused(Exception):
    """The translation cannot go to review now; the message says why."""


def submit_translation_permission():
    """wagtail-localize's "Can submit translations" (its migration 0006 creates it; a database
    flushed since, as transactional tests do, has lost it: made again the same way)."""
    from django.contrib.auth.models import Permission
    from django.contrib.contenttypes.models import ContentType

    content_type, _ = ContentType.objects.get_or_create(
        app_label="wagtail_localize", model="translation"
    )
    permission, _ = Permission.objects.get_or_create(
        content_type=content_type,
        codename="submit_translation",
        defaults={"name": "Can submit translations"},
    )
    return permission


def translation_inherits_authoring(*, source: Page, translation: Page) -> None:
    """Give `translation` the group permissions and the workflow set on `source` itself."""
    with transaction.atomic():
        for permission in GroupPagePermission.objects.filter(page=source):
            GroupPagePermission.objects.get_or_create(
                group_id=permission.group_id,
                page=translation,
                permission_id=permission.permission_id,
            )
        assigned = WorkflowPage.objects.filter(page=source).first()
        if assigned is not None:
            WorkflowPage.objects.get_or_create(
                page=translation, defaults={"workflow_id": assigned.workflow_id}
            )


def _on_copy_for_translation(sender, source_obj, target_obj, **kwargs) -> None:
    if isinstance(source_obj, Page) and isinstance(target_obj, Page):
        translation_inherits_authoring(source=source_obj, translation=target_obj)


def connect() -> None:
    from wagtail.signals import copy_for_translation_done

    copy_for_translation_done.connect(
        _on_copy_for_translation, dispatch_uid="courses_translation_inherits_authoring"
    )


def translation_of_page(page: Page) -> Translation | None:
    """wagtail-localize's record that `page` is a synced translation (None otherwise)."""
    return (
        Translation.objects.filter(
            source__object_id=page.translation_key, target_locale_id=page.locale_id, enabled=True
        )
        .select_related("source", "source__locale", "target_locale")
        .first()
    )


def translation_workflow(page: Page) -> Workflow | None:
    """The page's own workflow, else its source page's (a tree translated before the
    permissions were inherited still goes through review)."""
    workflow = page.get_workflow()
    if workflow is not None:
        return workflow
    translation = translation_of_page(page)
    if translation is None:
        return None
    source = Page.objects.filter(
        translation_key=page.translation_key, locale_id=translation.source.locale_id
    ).first()
    return source.get_workflow() if source is not None else None


def translation_missing_strings(translation: Translation) -> int:
    """How many of the source's strings have no translation in the target locale yet."""
    return (
        translation.source.stringsegment_set.annotate_translation(translation.target_locale)
        .filter(translation__isnull=True)
        .count()
    )


def translation_submit_for_review(*, user, page: Page) -> Page:
    """Save the translated strings of `page` as a draft revision and start its workflow.

    Refused when `user` may not edit the page (PermissionError), when the page is not a synced
    translation, has no workflow or is in review already (ReviewRefused).
    """
    from django.utils.translation import gettext as _

    page = page.specific
    if not page.permissions_for_user(user).can_edit():
        raise PermissionError
    translation = translation_of_page(page)
    if translation is None:
        raise ReviewRefused(_("This page is not a translation made in the translation editor."))
    workflow = translation_workflow(page)
    if workflow is None:
        raise ReviewRefused(_("No review workflow applies to this page."))
    if page.workflow_in_progress:
        raise ReviewRefused(_("This translation is already in review."))
    with transaction.atomic():
        # Missing strings keep the source's text (wagtail-localize's fallback) in the draft;
        # the reviewer sees them in the preview.
        translation.save_target(user=user, publish=False)
        if page.live:
            # wagtail-localize writes a draft into the page row too, which is what visitors
            # are served: put the live content back, keeping the new revision as the draft,
            # so the translation changes only when the review publishes it.
            draft = Page.objects.get(pk=page.pk)
            page.latest_revision_id = draft.latest_revision_id
            page.latest_revision_created_at = draft.latest_revision_created_at
            page.draft_title = draft.draft_title
            page.has_unpublished_changes = True
            page.save(clean=False)
        page = Page.objects.get(pk=page.pk).specific
        workflow.start(page, user)
    return page


@dataclass(frozen=True)
class OutOfDate:
    page: Page  # the translated page
    language: str  # its locale's display name
    source_id: int
    source_title: str
    source_published_at: datetime
    synced_at: datetime
    translation_id: int
    translation_source_id: int


def translations_out_of_date(user) -> list[OutOfDate]:
    """Translated pages, among those `user` may edit, whose source page was published after
    the translation last synced from it; oldest sync first. Three queries."""
    source_page = Page.objects.filter(
        translation_key=OuterRef("source__object_id"), locale_id=OuterRef("source__locale_id")
    )
    target_page = Page.objects.filter(
        translation_key=OuterRef("source__object_id"), locale_id=OuterRef("target_locale_id")
    )
    rows = list(
        Translation.objects.filter(enabled=True)
        .annotate(
            source_page_id=Subquery(source_page.values("pk")[:1]),
            source_title=Subquery(source_page.values("title")[:1]),
            source_published_at=Subquery(source_page.values("last_published_at")[:1]),
            target_page_id=Subquery(target_page.values("pk")[:1]),
            synced_at=F("source__last_updated_at"),
        )
        .filter(target_page_id__isnull=False, source_published_at__gt=F("synced_at"))
        .select_related("target_locale")
        .order_by("synced_at", "pk")
    )
    editable = Page.objects.filter(pk__in=[row.target_page_id for row in rows])
    if not user.is_superuser:
        from wagtail.permission_policies.pages import PagePermissionPolicy

        editable = editable & PagePermissionPolicy().instances_user_has_permission_for(
            user, "change"
        )
    pages = {page.pk: page for page in editable.specific(defer=True)}
    return [
        OutOfDate(
            page=pages[row.target_page_id],
            language=row.target_locale.get_display_name(),
            source_id=row.source_page_id,
            source_title=row.source_title,
            source_published_at=row.source_published_at,
            synced_at=row.synced_at,
            translation_id=row.pk,
            translation_source_id=row.source_id,
        )
        for row in rows
        if row.target_page_id in pages
    ]
