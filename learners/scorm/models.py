"""The CMI data a SCO commits, one row per enrolment, lesson, SCO and attempt."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from learners.progress.models import Enrolment


class ScormAttempt(models.Model):
    """One attempt at one SCO of a SCORM lesson during one enrolment cycle.

    `cmi` keeps the data model as the runtime last committed it (interactions included);
    the columns beside it are what progress, reports and resuming read. `sequence` is the
    number of the last commit accepted: a commit that does not carry a higher one is stale.
    """

    enrolment = models.ForeignKey(
        Enrolment, on_delete=models.CASCADE, related_name="scorm_attempts"
    )
    # The lesson may be deleted or point at another package later; the row keeps its titles.
    lesson = models.ForeignKey(
        "wagtailcore.Page", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    lesson_title = models.CharField(max_length=255)
    package_id = models.BigIntegerField(null=True, blank=True)
    version = models.CharField(max_length=10)
    sco_identifier = models.CharField(max_length=255)
    sco_title = models.CharField(max_length=255, blank=True)
    number = models.PositiveSmallIntegerField(default=1)
    sequence = models.PositiveIntegerField(default=0)
    session_key = models.CharField(max_length=64, blank=True)
    cmi = models.JSONField(default=dict)
    # SCORM 1.2 lesson_status, or SCORM 2004 completion_status and success_status.
    lesson_status = models.CharField(max_length=20, blank=True)
    completion_status = models.CharField(max_length=20, blank=True)
    success_status = models.CharField(max_length=20, blank=True)
    score_raw = models.DecimalField(max_digits=10, decimal_places=2, null=True, blank=True)
    score_min = models.DecimalField(max_digits=10, decimal_places=2, null=True, blank=True)
    score_max = models.DecimalField(max_digits=10, decimal_places=2, null=True, blank=True)
    score_percent = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    location = models.CharField(max_length=1000, blank=True)
    suspend_data = models.TextField(blank=True)
    exit = models.CharField(max_length=20, blank=True)
    # Time of the earlier sessions, and of the current one as the SCO last reported it.
    earlier_seconds = models.PositiveIntegerField(default=0)
    session_seconds = models.PositiveIntegerField(default=0)
    interaction_count = models.PositiveIntegerField(default=0)
    started_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    outcome_recorded = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("SCORM attempt")
        verbose_name_plural = _("SCORM attempts")
        ordering = ["enrolment", "lesson", "sco_identifier", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["enrolment", "lesson", "sco_identifier", "number"],
                name="one_scorm_attempt_per_number",
            )
        ]

    def __str__(self) -> str:
        return f"{self.lesson_title} · {self.sco_identifier} #{self.number}"

    @property
    def total_seconds(self) -> int:
        return self.earlier_seconds + self.session_seconds

    @property
    def is_complete(self) -> bool:
        return self.completed_at is not None
