from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class RevocationReason(models.TextChoices):
    ERROR = "issued_in_error", _("Issued in error")
    MISCONDUCT = "academic_misconduct", _("Academic misconduct")
    REQUESTED = "holder_request", _("At the holder's request")
    OTHER = "other", _("Other")


class CertificateStatus(models.TextChoices):
    VALID = "valid", _("Valid")
    EXPIRED = "expired", _("Expired")
    REVOKED = "revoked", _("Revoked")
    SUPERSEDED = "superseded", _("Superseded")


class Certificate(models.Model):
    """Proof that a learner completed a course; what it certifies is frozen at issue."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="certificates"
    )
    enrolment = models.ForeignKey(
        "learners.Enrolment", on_delete=models.PROTECT, related_name="certificates"
    )
    course = models.ForeignKey(
        "wagtailcore.Page", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    code = models.CharField(max_length=40, unique=True)
    # Frozen at issue.
    holder_name = models.CharField(max_length=200)
    course_title = models.CharField(max_length=255)
    completed_on = models.DateField()
    estimated_hours = models.DecimalField(max_digits=5, decimal_places=1, null=True, blank=True)
    final_score = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    issuer_name = models.CharField(max_length=200)
    signatory_name = models.CharField(max_length=120, blank=True)
    signatory_title = models.CharField(max_length=200, blank=True)
    issued_at = models.DateTimeField(default=timezone.now)
    expires_on = models.DateField(null=True, blank=True)
    # Changes of state after issue.
    revoked_at = models.DateTimeField(null=True, blank=True)
    revocation_reason = models.CharField(
        max_length=30, choices=RevocationReason.choices, blank=True
    )
    revocation_note = models.TextField(blank=True)
    superseded_by = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="supersedes"
    )
    pdf = models.FileField(upload_to="certificates/%Y/%m/", blank=True)

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        ordering = ["-issued_at"]
        constraints = [
            # One live (not superseded) certificate per enrolment cycle.
            models.UniqueConstraint(
                fields=["enrolment"],
                condition=models.Q(superseded_by__isnull=True),
                name="one_current_certificate_per_enrolment",
            )
        ]
        indexes = [models.Index(fields=["expires_on"]), models.Index(fields=["user", "course"])]

    def __str__(self) -> str:
        return f"{self.holder_name} – {self.course_title} ({self.code})"

    def status_on(self, day) -> str:
        if self.revoked_at:
            return CertificateStatus.REVOKED
        if self.superseded_by_id:
            return CertificateStatus.SUPERSEDED
        if self.expires_on and self.expires_on < day:
            return CertificateStatus.EXPIRED
        return CertificateStatus.VALID

    @property
    def status(self) -> str:
        return self.status_on(timezone.localdate())
