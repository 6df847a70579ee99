"""Certificates, their audit log and the reminders sent about them."""

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from learners.common.storage import private_storage


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
    # The accepted capstone workbook(s) the course required, named on the certificate.
    capstone_title = models.CharField(max_length=255, blank=True)
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
    # Set before the replacement exists, so the "one current" constraint never sees two.
    superseded_at = models.DateTimeField(null=True, blank=True)
    # The holder's choice: the public verification page shows the final score and, after a
    # revocation, its reason only when this is set. Holder, course, dates and status are
    # always shown (they are what a verifier checks).
    public_details = models.BooleanField(
        _("show score and revocation reason on the verification page"), default=False
    )

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        ordering = ["-issued_at"]
        constraints = [
            # One live (not superseded) certificate per enrolment cycle.
            models.UniqueConstraint(
                fields=["enrolment"],
                condition=models.Q(superseded_at__isnull=True),
                name="one_current_certificate_per_enrolment",
            )
        ]
        indexes = [
            models.Index(fields=["expires_on"]),
            models.Index(fields=["user", "course"]),
            # HR's certificates-per-month chart reads the last twelve months only.
            models.Index(fields=["issued_at"], name="certificate_issued"),
        ]

    def __str__(self) -> str:
        return f"{self.holder_name} – {self.course_title} ({self.code})"

    def status_on(self, day) -> str:
        if self.revoked_at:
            return CertificateStatus.REVOKED
        if self.superseded_at or self.superseded_by_id:
            return CertificateStatus.SUPERSEDED
        if self.expires_on and self.expires_on < day:
            return CertificateStatus.EXPIRED
        return CertificateStatus.VALID

    @property
    def status(self) -> str:
        return self.status_on(timezone.localdate())

    @property
    def display_code(self) -> str:
        from learners.certificates.codes import format_code

        return format_code(self.code)

    def get_verify_url(self) -> str:
        from django.urls import reverse

        return reverse("certificate_verify", args=[self.display_code])

    def get_pdf_url(self) -> str:
        from django.urls import reverse

        return reverse("certificate_pdf", args=[self.display_code])


class CertificatePdf(models.Model):
    """A certificate's PDF in one language, rendered once and kept (one per language)."""

    certificate = models.ForeignKey(Certificate, on_delete=models.CASCADE, related_name="pdfs")
    language = models.CharField(max_length=10)
    # Private storage: only the holder and those who may see the certificate get the file.
    file = models.FileField(upload_to="certificates/%Y/%m/", storage=private_storage)
    rendered_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("certificate PDF")
        verbose_name_plural = _("certificate PDFs")
        constraints = [
            models.UniqueConstraint(
                fields=["certificate", "language"], name="one_certificate_pdf_per_language"
            )
        ]

    def __str__(self) -> str:
        return f"{self.certificate_id} ({self.language})"


class AuditAction(models.TextChoices):
    ISSUED = "issued", _("Issued")
    REISSUED = "reissued", _("Re-issued")
    REVOKED = "revoked", _("Revoked")


class CertificateAuditQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionDenied("The certificate audit log is append-only.")

    def delete(self):
        raise PermissionDenied("The certificate audit log is append-only.")


class CertificateAuditEntry(models.Model):
    """Append-only record of who issued, re-issued or revoked a certificate, when and why."""

    certificate = models.ForeignKey(Certificate, on_delete=models.PROTECT, related_name="audit")
    action = models.CharField(max_length=20, choices=AuditAction.choices)
    # None when the platform acted on its own (automatic issue on completion).
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_name = models.CharField(max_length=200, blank=True)
    reason = models.CharField(max_length=30, blank=True)
    note = models.TextField(blank=True)
    related = models.ForeignKey(
        Certificate, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now, db_index=True)

    objects = CertificateAuditQuerySet.as_manager()

    class Meta:
        verbose_name = _("certificate audit entry")
        verbose_name_plural = _("certificate audit log")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.certificate_id} by {self.actor_name or '-'}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionDenied("The certificate audit log is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionDenied("The certificate audit log is append-only.")


class CertificateReminder(models.Model):
    """An expiry reminder sent for one certificate at one threshold (60 or 7 days)."""

    certificate = models.ForeignKey(Certificate, on_delete=models.CASCADE, related_name="reminders")
    days_before = models.PositiveSmallIntegerField()
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("certificate reminder")
        verbose_name_plural = _("certificate reminders")
        constraints = [
            models.UniqueConstraint(
                fields=["certificate", "days_before"], name="one_reminder_per_threshold"
            )
        ]

    def __str__(self) -> str:
        return f"{self.certificate_id} – {self.days_before} days"
