"""Learning Record Stores, the learners' opaque xAPI identities, and the durable outbox."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class LearningRecordStore(models.Model):
    """An LRS that receives the activity log as xAPI statements.

    The secret is never stored: `secret_env` names the environment variable that holds it, so
    it lives where the deployment keeps its other secrets and no page or log can show it.
    """

    name = models.SlugField(
        _("name"), max_length=50, unique=True, help_text=_("A short name, used by xapi_replay.")
    )
    endpoint = models.URLField(
        _("endpoint"),
        max_length=500,
        help_text=_("The LRS's xAPI base address, e.g. https://lrs.example.org/xAPI/"),
    )
    key = models.CharField(_("key"), max_length=200, help_text=_("The Basic auth user name."))
    secret_env = models.CharField(
        _("environment variable holding the secret"),
        max_length=100,
        help_text=_(
            "The name of the environment variable that holds the Basic auth password, "
            "e.g. XAPI_LRS_SECRET_ANALYTICS. The secret itself is never stored here."
        ),
    )
    verbs = models.JSONField(
        _("verbs"),
        default=list,
        blank=True,
        help_text=_("The verbs this LRS receives; none selected means every verb."),
    )
    active = models.BooleanField(_("active"), default=True)
    from_environment = models.BooleanField(default=False, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("learning record store")
        verbose_name_plural = _("learning record stores")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def accepts(self, verb: str) -> bool:
        return not self.verbs or verb in self.verbs


class XapiAccount(models.Model):
    """The opaque, stable name by which LRSs know a learner (never the e-mail or the id)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="xapi_account"
    )
    name = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)

    class Meta:
        verbose_name = _("xAPI account")
        verbose_name_plural = _("xAPI accounts")

    def __str__(self) -> str:
        return str(self.name)


class OutboxState(models.TextChoices):
    PENDING = "pending", _("Pending")
    SENT = "sent", _("Sent")
    DEAD = "dead", _("Dead")


class OutboxEntry(models.Model):
    """One statement for one LRS: written with the activity event, sent by the forwarder."""

    event = models.ForeignKey("learners.ActivityEvent", on_delete=models.CASCADE, related_name="+")
    lrs = models.ForeignKey(LearningRecordStore, on_delete=models.CASCADE, related_name="outbox")
    statement_id = models.UUIDField()
    state = models.CharField(
        max_length=10, choices=OutboxState.choices, default=OutboxState.PENDING
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(db_index=True)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("xAPI outbox entry")
        verbose_name_plural = _("xAPI outbox")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["lrs", "event"], name="xapi_one_entry_per_event_lrs")
        ]
        indexes = [models.Index(fields=["state", "next_attempt_at"], name="xapi_outbox_due")]

    def __str__(self) -> str:
        return f"{self.statement_id} → {self.lrs_id} ({self.state})"
