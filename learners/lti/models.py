"""What the LTI room keeps beside django-lti's registrations, deployments and keys.

django-lti (`lti_tool`) holds the platforms (LtiRegistration, LtiDeployment) and the tool's key
pairs (Key). Here: which Capacitas account a platform's user is, the nonces already used, and
where a launched person's scores go back to.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class LtiAccount(models.Model):
    """A platform's user (issuer, sub) is this Capacitas account, for every launch."""

    issuer = models.CharField(_("issuer"), max_length=255)
    sub = models.CharField(_("subject"), max_length=255)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="lti_accounts"
    )
    registration = models.ForeignKey(
        "lti_tool.LtiRegistration", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    last_launch_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("LTI account")
        verbose_name_plural = _("LTI accounts")
        constraints = [
            models.UniqueConstraint(fields=["issuer", "sub"], name="lti_account_issuer_sub"),
        ]

    def __str__(self) -> str:
        return f"{self.issuer} {self.sub}"


class LtiNonce(models.Model):
    """A launch's nonce, once used: the same id_token sent again is a replay and is refused."""

    issuer = models.CharField(max_length=255)
    nonce = models.CharField(max_length=255)
    used_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["issuer", "nonce"], name="lti_nonce_once"),
        ]
        indexes = [models.Index(fields=["used_at"], name="lti_nonce_used_at")]

    def __str__(self) -> str:
        return self.nonce


class LtiGradeLink(models.Model):
    """Where a launched person's result for a page goes: the AGS endpoint of one resource link.

    The launch's AGS claim is kept as it came (`endpoint`: scope, lineitems, lineitem), so a
    score can be posted later, from a task, without the launch.
    """

    account = models.ForeignKey(LtiAccount, on_delete=models.CASCADE, related_name="grade_links")
    registration = models.ForeignKey(
        "lti_tool.LtiRegistration", on_delete=models.CASCADE, related_name="+"
    )
    page = models.ForeignKey(
        "wagtailcore.Page", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    page_title = models.CharField(max_length=255, blank=True)
    resource_link_id = models.CharField(max_length=255)
    endpoint = models.JSONField(default=dict)
    last_score = models.FloatField(null=True, blank=True)
    last_sent_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["account", "registration", "resource_link_id"],
                name="lti_grade_link_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.account} → {self.resource_link_id}"
