"""SCORM packages (uploaded in the admin, unpacked to media storage) and the lesson playing one."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.search import index

from courses.models.lesson import LessonPage
from courses.scorm.manifest import Version, walk_dicts


class ScormVersion(models.TextChoices):
    SCORM_12 = Version.SCORM_12, _("SCORM 1.2")
    SCORM_2004_2 = Version.SCORM_2004_2, _("SCORM 2004 2nd edition")
    SCORM_2004_3 = Version.SCORM_2004_3, _("SCORM 2004 3rd edition")
    SCORM_2004_4 = Version.SCORM_2004_4, _("SCORM 2004 4th edition")


class ScormPackage(index.Indexed, models.Model):
    """A validated SCORM zip, unpacked under `prefix` in the default storage.

    The package itself never changes: to update a course, upload the new zip and point the lesson
    at it, so learners' records keep the package they played.
    """

    title = models.CharField(
        _("title"),
        max_length=255,
        blank=True,
        help_text=_("Leave empty to use the title the package gives itself."),
    )
    version = models.CharField(_("SCORM version"), max_length=10, choices=ScormVersion.choices)
    manifest_identifier = models.CharField(_("manifest identifier"), max_length=255, blank=True)
    prefix = models.CharField(max_length=100, unique=True, editable=False)
    # The organisation tree: [{identifier, title, href, sco, mastery_score, launch_data,
    # children}], `href` relative to `prefix` (with any query string the manifest adds).
    tree = models.JSONField(default=list, editable=False)
    files = models.JSONField(default=list, editable=False)
    total_bytes = models.BigIntegerField(_("size unpacked"), default=0, editable=False)
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )

    panels = [FieldPanel("title")]
    search_fields = [index.SearchField("title"), index.AutocompleteField("title")]

    class Meta:
        verbose_name = _("SCORM package")
        verbose_name_plural = _("SCORM packages")
        ordering = ["-uploaded_at"]

    def __str__(self) -> str:
        return f"{self.title} ({self.get_version_display()})"

    @property
    def is_2004(self) -> bool:
        return self.version.startswith("2004")

    @property
    def scos(self) -> list[dict]:
        """The items that launch a SCO, in the order of the organisation tree."""
        return [item for item in walk_dicts(self.tree) if item.get("sco") and item.get("href")]

    @property
    def is_multi_sco(self) -> bool:
        return len(self.scos) > 1

    def sco(self, identifier: str | None) -> dict | None:
        """The SCO with this identifier, or the first one when `identifier` is empty."""
        scos = self.scos
        if not identifier:
            return scos[0] if scos else None
        return next((item for item in scos if item["identifier"] == identifier), None)

    def has_file(self, path: str) -> bool:
        return path in set(self.files)


class ScormLessonPage(LessonPage):
    """A lesson whose content is a SCORM package, played in the page.

    It is a lesson like any other (a subclass of `LessonPage`): it sits in a module, counts in
    the outline, the study time and completion. The learner completes it by finishing the
    package, not with "Mark as complete".
    """

    # The player's state (launch, suspend data, table of contents) is the package's own: not
    # a page the learner-page cache keeps.
    learner_page_cache = False

    package = models.ForeignKey(
        ScormPackage,
        verbose_name=_("SCORM package"),
        null=True,
        blank=False,
        on_delete=models.PROTECT,
        related_name="lessons",
        help_text=_("Upload packages under Snippets › SCORM packages."),
    )
    player_height = models.PositiveSmallIntegerField(
        _("player height (pixels)"),
        default=600,
        help_text=_("The height of the frame the package plays in on a wide screen."),
    )

    # The inherited body is not shown or required: the package is the content.
    unused_fields = ("body",)

    content_panels = LessonPage.content_panels[:1] + [
        FieldPanel("intro"),
        FieldPanel("estimated_minutes"),
        FieldPanel("package"),
        FieldPanel("player_height"),
    ]
    parent_page_types = ["courses.ModulePage"]
    subpage_types = []

    class Meta:
        verbose_name = _("SCORM lesson")
