from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import models
from django.utils.translation import gettext_lazy as _


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
