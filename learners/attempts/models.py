"""Quiz attempts: the questions as shown, the answers, the score."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class AttemptStatus(models.TextChoices):
    OPEN = "open", _("In progress")
    SUBMITTED = "submitted", _("Submitted")
    EXPIRED = "expired", _("Closed at the time limit")


class QuizAttempt(models.Model):
    """One try at a quiz. The questions as shown are frozen in `snapshot` at the start, so
    later edits to the quiz never change what this attempt asked or how it was scored."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="quiz_attempts"
    )
    enrolment = models.ForeignKey(
        "learners.Enrolment", on_delete=models.CASCADE, related_name="quiz_attempts"
    )
    quiz = models.ForeignKey(
        "wagtailcore.Page", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    quiz_title = models.CharField(max_length=255)
    # The language of the page the attempt was taken on (its snapshot is in that language).
    language = models.CharField(max_length=10, blank=True, default="")
    number = models.PositiveSmallIntegerField(default=1)
    pass_mark = models.PositiveSmallIntegerField()
    review_policy = models.CharField(max_length=30)
    started_at = models.DateTimeField()
    deadline = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(
        max_length=20, choices=AttemptStatus.choices, default=AttemptStatus.OPEN
    )
    snapshot = models.JSONField(default=list)
    answers = models.JSONField(default=dict, blank=True)
    answers_saved_at = models.DateTimeField(null=True, blank=True)
    results = models.JSONField(default=dict, blank=True)
    score = models.DecimalField(max_digits=7, decimal_places=2, null=True, blank=True)
    max_score = models.DecimalField(max_digits=7, decimal_places=2, null=True, blank=True)
    percent = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    passed = models.BooleanField(null=True, blank=True)

    class Meta:
        verbose_name = _("quiz attempt")
        verbose_name_plural = _("quiz attempts")
        ordering = ["-started_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "quiz"],
                condition=Q(status="open"),
                name="one_open_attempt_per_quiz",
            ),
            models.CheckConstraint(
                condition=Q(percent__isnull=True) | Q(percent__gte=0, percent__lte=100),
                name="attempt_percent_in_range",
            ),
        ]
        indexes = [models.Index(fields=["quiz", "status"]), models.Index(fields=["enrolment"])]

    def __str__(self) -> str:
        return f"{self.quiz_title} #{self.number} ({self.user_id})"

    @property
    def is_open(self) -> bool:
        return self.status == AttemptStatus.OPEN

    @property
    def question_count(self) -> int:
        return len(self.snapshot)
