"""A learner's workbook (one draft per enrolment and workbook page) and its submitted versions."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Workbook(models.Model):
    """The learner's working copy. `version` grows by one at every save; a save must name the
    version it started from, so two tabs cannot silently overwrite each other."""

    # The learner's URLs name this random id, never a row id (see the URL test in progress).
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="workbooks"
    )
    enrolment = models.ForeignKey(
        "learners.Enrolment", on_delete=models.CASCADE, related_name="workbooks"
    )
    # Trainers may delete the page; the draft, its title and every submitted version stay.
    page = models.ForeignKey(
        "wagtailcore.Page", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    page_title = models.CharField(max_length=255)
    answers = models.JSONField(default=dict, blank=True)
    version = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    saved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("workbook")
        verbose_name_plural = _("workbooks")
        constraints = [
            models.UniqueConstraint(
                fields=["enrolment", "page"], name="one_workbook_per_enrolment_and_page"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.page_title} ({self.user_id})"


class SubmissionStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Awaiting review")
    ACCEPTED = "accepted", _("Accepted")
    REVISE = "revise", _("Revise and resubmit")


class WorkbookSubmission(models.Model):
    """One submitted version, read-only once made: the questions as shown (`snapshot`), the
    answers, and — after review — rubric scores and feedback per section."""

    workbook = models.ForeignKey(Workbook, on_delete=models.CASCADE, related_name="submissions")
    number = models.PositiveSmallIntegerField()
    snapshot = models.JSONField(default=dict)
    answers = models.JSONField(default=dict)
    status = models.CharField(
        max_length=20, choices=SubmissionStatus.choices, default=SubmissionStatus.SUBMITTED
    )
    submitted_at = models.DateTimeField()
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reviewer_name = models.CharField(max_length=200, blank=True)
    rubric_scores = models.JSONField(default=dict, blank=True)
    section_feedback = models.JSONField(default=dict, blank=True)
    overall_feedback = models.TextField(blank=True)
    score = models.DecimalField(max_digits=7, decimal_places=2, null=True, blank=True)
    max_score = models.DecimalField(max_digits=7, decimal_places=2, null=True, blank=True)

    class Meta:
        verbose_name = _("workbook submission")
        verbose_name_plural = _("workbook submissions")
        ordering = ["-submitted_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["workbook", "number"], name="unique_workbook_submission_number"
            ),
            # At most one version waits for review at a time.
            models.UniqueConstraint(
                fields=["workbook"],
                condition=Q(status="submitted"),
                name="one_pending_submission_per_workbook",
            ),
        ]
        indexes = [models.Index(fields=["status", "submitted_at"])]

    def __str__(self) -> str:
        return f"{self.workbook.page_title} v{self.number} ({self.status})"

    @property
    def percent(self):
        if not self.max_score:
            return None
        return round(self.score / self.max_score * 100, 1)
