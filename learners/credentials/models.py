"""Signed Open Badges 3.0 credentials, the public keys that signed them, the status lists."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class SigningKey(models.Model):
    """The public half of every key that has signed a credential; the private half is never
    stored in the database. Kept after rotation so that older credentials stay verifiable."""

    kid = models.CharField(max_length=64, unique=True)  # RFC 7638 thumbprint of the public JWK
    public_jwk = models.JSONField()
    first_used_at = models.DateTimeField(default=timezone.now)
    retired_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("credential signing key")
        verbose_name_plural = _("credential signing keys")
        ordering = ["first_used_at", "id"]

    def __str__(self) -> str:
        return self.kid


class IssuedCredential(models.Model):
    """The OpenBadgeCredential of one certificate, as signed (a VC-JWT)."""

    certificate = models.OneToOneField(
        "learners.Certificate", on_delete=models.PROTECT, related_name="credential"
    )
    credential_id = models.UUIDField(unique=True)
    # Position of this credential's bit across the status lists (list = index // LIST_BITS).
    status_index = models.PositiveIntegerField(unique=True)
    kid = models.CharField(max_length=64)
    jwt = models.TextField()
    issued_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("Open Badges credential")
        verbose_name_plural = _("Open Badges credentials")

    def __str__(self) -> str:
        return f"urn:uuid:{self.credential_id}"


class StatusList(models.Model):
    """One published Bitstring Status List credential (revocation), signed."""

    number = models.PositiveIntegerField(unique=True)
    jwt = models.TextField()
    published_at = models.DateTimeField(default=timezone.now)
    valid_until = models.DateTimeField()

    class Meta:
        verbose_name = _("credential status list")
        verbose_name_plural = _("credential status lists")

    def __str__(self) -> str:
        return str(self.number)
