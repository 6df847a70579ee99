"""What the privacy room keeps: data exports a learner asked for, and who was erased when."""

import uuid

from django.conf import settings
from django.core.files.storage import storages
from django.db import models
from django.utils.translation import gettext_lazy as _


def private_storage():
    # A callable, so the storage is looked up when used (tests swap STORAGES) and migrations
    # record the function rather than a filesystem path.
    return storages["private"]


class ExportStatus(models.TextChoices):
    PENDING = "pending", _("Being prepared")
    READY = "ready", _("Ready")
    FAILED = "failed", _("Failed")


class DataExport(models.Model):
    """One archive of everything held about a learner, built in the background."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="data_exports"
    )
    status = models.CharField(
        max_length=20, choices=ExportStatus.choices, default=ExportStatus.PENDING
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    ready_at = models.DateTimeField(null=True, blank=True)
    # The file is deleted when the link expires (purge_expired_records), the row stays as
    # the trace that an export was given.
    file = models.FileField(upload_to="exports/", storage=private_storage, blank=True)
    size = models.PositiveBigIntegerField(null=True, blank=True)

    class Meta:
        verbose_name = _("data export")
        verbose_name_plural = _("data exports")
        ordering = ["-requested_at", "-id"]

    def __str__(self) -> str:
        return f"{self.user_id} {self.requested_at:%Y-%m-%d} ({self.status})"


class AccountErasure(models.Model):
    """The record that a person's personal data was erased, kept with the pseudonymised user."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="privacy_erasure"
    )
    erased_at = models.DateTimeField()
    by_holder = models.BooleanField(
        _("asked for by the person"),
        help_text=_("False when an administrator erased the account."),
    )
    erased_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("account erasure")
        verbose_name_plural = _("account erasures")
        ordering = ["-erased_at"]

    def __str__(self) -> str:
        return f"{self.user_id} {self.erased_at:%Y-%m-%d}"
