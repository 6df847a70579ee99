"""The Wagtail admin's upload of a SCORM package: a snippet whose "add" form takes the zip.

The zip is validated in the form's `clean()` (nothing is written before every check passed);
`save()` unpacks it under a random prefix and removes what it wrote should anything fail.
"""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.snippets.views.snippets import SnippetViewSet

from courses.models import ScormPackage
from courses.scorm.manifest import PackageRefused
from courses.scorm.storage import new_prefix, package_extract, package_files_delete
from courses.scorm.validation import Limits, package_validate


def scorm_limits() -> Limits:
    """The limits, from settings (`SCORM_MAX_*`, see docs/interoperability.md)."""
    defaults = Limits()
    return Limits(
        max_upload_bytes=getattr(settings, "SCORM_MAX_UPLOAD_BYTES", defaults.max_upload_bytes),
        max_total_bytes=getattr(settings, "SCORM_MAX_TOTAL_BYTES", defaults.max_total_bytes),
        max_file_bytes=getattr(settings, "SCORM_MAX_FILE_BYTES", defaults.max_file_bytes),
        max_files=getattr(settings, "SCORM_MAX_FILES", defaults.max_files),
        max_ratio=getattr(settings, "SCORM_MAX_RATIO", defaults.max_ratio),
    )


class ScormPackageForm(WagtailAdminModelForm):
    package_file = forms.FileField(
        label=_("SCORM package (zip)"),
        help_text=_(
            "A SCORM 1.2 or SCORM 2004 zip with imsmanifest.xml at its top level. "
            "It cannot be replaced later: upload a new package instead."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".zip,application/zip"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.validated = None
        if self.instance.pk:
            # A package never changes once uploaded; only its title can be edited.
            del self.fields["package_file"]

    def clean(self):
        cleaned = super().clean()
        upload = cleaned.get("package_file")
        if upload is None or self.instance.pk:
            return cleaned
        try:
            self.validated = package_validate(upload, size=upload.size, limits=scorm_limits())
        except PackageRefused as refusal:
            self.add_error("package_file", refusal.message)
        return cleaned

    def save(self, commit=True):
        package = self.instance
        if package.pk or self.validated is None:
            return super().save(commit=commit)
        upload = self.cleaned_data["package_file"]
        manifest = self.validated.manifest
        package.prefix = new_prefix()
        package.version = manifest.version
        package.manifest_identifier = manifest.identifier[:255]
        package.tree = manifest.as_tree()
        package.total_bytes = self.validated.total_bytes
        if self.for_user is not None and self.for_user.is_authenticated:
            package.uploaded_by = self.for_user
        if not package.title:
            package.title = (manifest.title or upload.name)[:255]
        package.files = package_extract(upload, self.validated, prefix=package.prefix)
        try:
            with transaction.atomic():
                return super().save(commit=commit)
        except Exception:
            package_files_delete([f"{package.prefix}/{name}" for name in package.files])
            raise


class ScormPackageViewSet(SnippetViewSet):
    model = ScormPackage
    icon = "media"
    menu_label = _("SCORM packages")
    add_to_admin_menu = False
    list_display = ["title", "version", "uploaded_at"]
    search_fields = ["title"]
    edit_handler = ObjectList(
        [FieldPanel("title"), FieldPanel("package_file")], base_form_class=ScormPackageForm
    )
