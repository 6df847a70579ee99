from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class EnrolmentSource(models.TextChoices):
    SELF = "self", _("Self-enrolled")
    ASSIGNED = "assigned", _("Assigned")


class Enrolment(models.Model):
    """One cycle of a learner taking a course.

    A learner has at most one current enrolment per course; recertification archives the
    current one and opens a new cycle, so earlier cycles and their certificates stay on record.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="enrolments"
    )
    # The course may be deleted by trainers; the record and its title snapshot stay.
    course = models.ForeignKey(
        "wagtailcore.Page", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    course_title = models.CharField(max_length=255)
    cycle = models.PositiveSmallIntegerField(default=1)
    source = models.CharField(
        max_length=20, choices=EnrolmentSource.choices, default=EnrolmentSource.SELF
    )
    enrolled_at = models.DateTimeField(auto_now_add=True)
    last_activity_at = models.DateTimeField(null=True, blank=True)
    last_lesson = models.ForeignKey(
        "wagtailcore.Page", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    completed_at = models.DateTimeField(null=True, blank=True)
    archived_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        ordering = ["-enrolled_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "course"],
                condition=Q(archived_at__isnull=True),
                name="one_current_enrolment_per_course",
            ),
            models.UniqueConstraint(
                fields=["user", "course", "cycle"], name="unique_enrolment_cycle"
            ),
        ]
        indexes = [models.Index(fields=["course", "completed_at"])]

    def __str__(self) -> str:
        return f"{self.user} – {self.course_title} ({self.cycle})"

    @property
    def is_completed(self) -> bool:
        return self.completed_at is not None

    @property
    def is_current(self) -> bool:
        return self.archived_at is None


class LessonProgress(models.Model):
    """What a learner did with one lesson during one enrolment cycle."""

    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="progress")
    lesson = models.ForeignKey(
        "wagtailcore.Page", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    lesson_title = models.CharField(max_length=255)
    first_viewed_at = models.DateTimeField(null=True, blank=True)
    last_viewed_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("lesson progress")
        verbose_name_plural = _("lesson progress")
        constraints = [
            models.UniqueConstraint(
                fields=["enrolment", "lesson"], name="one_progress_row_per_lesson"
            )
        ]

    def __str__(self) -> str:
        return self.lesson_title
