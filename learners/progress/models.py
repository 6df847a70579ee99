"""Enrolments, lesson progress and the append-only activity log."""

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class EnrolmentSource(models.TextChoices):
    SELF = "self", _("Self-enrolled")
    ASSIGNED = "assigned", _("Assigned")
    LTI = "lti", _("Launched from a learning platform (LTI)")


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
    # The language the learner enrolled in (the request's active language); the default
    # language of the certificate when the person chose none (User.language).
    language = models.CharField(max_length=10, blank=True)

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
        indexes = [
            models.Index(fields=["course", "completed_at"]),
            # HR's "active in the last 30 days" reads the few recent rows, not every enrolment.
            models.Index(fields=["last_activity_at"], name="enrolment_last_activity"),
        ]

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


class Verb(models.TextChoices):
    """xAPI verbs (ADL vocabulary) for the events Capacitas records."""

    REGISTERED = "http://adlnet.gov/expapi/verbs/registered", _("enrolled")
    EXPERIENCED = "http://adlnet.gov/expapi/verbs/experienced", _("viewed")
    COMPLETED = "http://adlnet.gov/expapi/verbs/completed", _("completed")
    ATTEMPTED = "http://adlnet.gov/expapi/verbs/attempted", _("attempted")
    PASSED = "http://adlnet.gov/expapi/verbs/passed", _("passed")
    FAILED = "http://adlnet.gov/expapi/verbs/failed", _("failed")
    EARNED = "http://id.tincanapi.com/verb/earned", _("earned")


class ActivityEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionDenied("The activity log is append-only.")

    def delete(self):
        raise PermissionDenied("The activity log is append-only.")


class ActivityEvent(models.Model):
    """One append-only row per learning event, shaped like an xAPI statement."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    verb = models.CharField(max_length=100, choices=Verb.choices)
    object_type = models.CharField(max_length=30)  # course, lesson, quiz, certificate
    object_id = models.BigIntegerField(null=True, blank=True)
    object_title = models.CharField(max_length=255)
    course_id = models.BigIntegerField(null=True, blank=True)
    course_title = models.CharField(max_length=255, blank=True)
    organisation_id = models.BigIntegerField(null=True, blank=True)
    result_score = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)
    result_success = models.BooleanField(null=True, blank=True)
    result_completion = models.BooleanField(null=True, blank=True)
    result_duration = models.DurationField(null=True, blank=True)
    timestamp = models.DateTimeField(auto_now_add=True, db_index=True)

    objects = ActivityEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("activity event")
        verbose_name_plural = _("activity log")
        ordering = ["-timestamp", "-id"]
        indexes = [models.Index(fields=["actor", "timestamp"])]

    def __str__(self) -> str:
        return f"{self.actor_id} {self.get_verb_display()} {self.object_title}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionDenied("The activity log is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionDenied("The activity log is append-only.")

    def to_xapi(self, *, site_url: str) -> dict:
        """The event as an xAPI 1.0.3 statement."""
        statement: dict = {
            "actor": {
                "objectType": "Agent",
                "account": {"homePage": site_url, "name": str(self.actor_id)},
            },
            "verb": {"id": self.verb, "display": {"en-US": self.get_verb_display()}},
            "object": {
                "objectType": "Activity",
                "id": f"{site_url}/activities/{self.object_type}/{self.object_id}",
                "definition": {"name": {"en-US": self.object_title}},
            },
            "timestamp": self.timestamp.isoformat(),
        }
        result = {}
        if self.result_score is not None:
            # Divide as Decimal: float division would give 0.8545999… for 85.46.
            result["score"] = {"scaled": float(self.result_score / 100)}
        if self.result_success is not None:
            result["success"] = self.result_success
        if self.result_completion is not None:
            result["completion"] = self.result_completion
        if self.result_duration is not None:
            result["duration"] = f"PT{int(self.result_duration.total_seconds())}S"
        if result:
            statement["result"] = result
        if self.course_id:
            statement["context"] = {
                "contextActivities": {
                    "parent": [{"id": f"{site_url}/activities/course/{self.course_id}"}]
                }
            }
        return statement
