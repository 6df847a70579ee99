"""People and organisations: users, organisations, departments and HR officer roles."""

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class GovernmentLevel(models.TextChoices):
    LOCAL = "local", _("Local")
    METROPOLITAN = "metropolitan", _("Metropolitan")
    REGIONAL = "regional", _("Regional")
    NATIONAL = "national", _("National")
    INTERNATIONAL = "international", _("International")


class Organisation(models.Model):
    """A public administration (or a body inside one). Organisations form a tree."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    country = models.CharField(_("country"), max_length=100)
    level = models.CharField(
        _("level of government"), max_length=20, choices=GovernmentLevel.choices
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    email_domain = models.CharField(
        _("e-mail domain"),
        max_length=120,
        blank=True,
        help_text=_(
            "Optional. People who verify an address at this domain join this organisation."
        ),
    )
    accepts_join_requests = models.BooleanField(
        _("accepts join requests"),
        default=True,
        help_text=_(
            "People may ask to join; the organisation's HR officers approve or refuse each "
            "request. Untick to admit people only by e-mail domain, invitation or single sign-on."
        ),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        self.email_domain = self.email_domain.strip().lower().lstrip("@")
        ancestor = self.parent
        while ancestor is not None:
            if ancestor.pk == self.pk and self.pk is not None:
                raise ValidationError({"parent": _("An organisation cannot sit beneath itself.")})
            ancestor = ancestor.parent


class Department(models.Model):
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="departments",
    )
    name = models.CharField(_("name"), max_length=200)

    class Meta:
        ordering = ["organisation__name", "name"]
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "name"], name="unique_department_per_organisation"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.organisation.name})"


class MembershipProof(models.TextChoices):
    PRIOR = "prior", _("Accepted before membership was verified")
    EMAIL_DOMAIN = "email_domain", _("Verified e-mail domain")
    INVITATION = "invitation", _("Invitation")
    APPROVAL = "approval", _("Approved by HR")
    SSO = "sso", _("Single sign-on")
    ADMIN = "admin", _("Set by an administrator")


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra):
        extra.update(is_staff=True, is_superuser=True)
        return self._create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A person: e-mail is the login; the profile (organisation, job) lives here too."""

    email = models.EmailField(_("e-mail address"), unique=True)
    full_name = models.CharField(_("full name"), max_length=200)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="members",
    )
    department = models.ForeignKey(
        Department,
        verbose_name=_("department"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="members",
    )
    job_title = models.CharField(_("job title"), max_length=200, blank=True)
    # `organisation` and `department` above are the *verified* membership, the only one any HR
    # scope reads; a self-declared organisation waits in a MembershipRequest until proven.
    membership_proof = models.CharField(
        _("membership proven by"),
        max_length=20,
        choices=MembershipProof.choices,
        blank=True,
    )
    membership_verified_at = models.DateTimeField(
        _("membership verified at"), null=True, blank=True
    )
    government_level = models.CharField(
        _("level of government"), max_length=20, choices=GovernmentLevel.choices, blank=True
    )
    # A code from settings.LANGUAGES (no choices here, so adding a language needs no migration);
    # empty: certificates follow the language the person enrolled in (docs/certificates.md).
    language = models.CharField(
        _("certificate language"),
        max_length=10,
        blank=True,
        help_text=_("The language of your certificates and their verification pages."),
    )
    is_staff = models.BooleanField(
        _("staff status"),
        default=False,
        help_text=_("Whether the person may open the administration site."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["full_name", "email"]
        # The HR table's default order: a LIMIT 50 page walks this index instead of sorting
        # every enrolment in scope.
        indexes = [models.Index(fields=["full_name", "email"], name="user_name_email")]

    def __str__(self) -> str:
        return self.full_name or self.email

    def clean(self) -> None:
        super().clean()
        self.email = self.__class__.objects.normalize_email(self.email).lower()
        if self.department_id and self.department.organisation_id != self.organisation_id:
            raise ValidationError(
                {"department": _("The department must belong to the person's organisation.")}
            )

    # Wagtail and Django admin call these.
    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email

    # Wagtail's user views refer to first_name/last_name; map them onto full_name.
    @property
    def first_name(self) -> str:
        return self.get_short_name()

    @property
    def last_name(self) -> str:
        return " ".join(self.full_name.split(" ")[1:])


class HROfficerRole(models.Model):
    """Grants HR tracking over an organisation and every organisation beneath it."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="hr_roles",
    )
    organisation = models.ForeignKey(
        "learners.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="hr_roles",
        help_text=_("The role covers this organisation and every organisation beneath it."),
    )
    granted_at = models.DateTimeField(_("granted at"), auto_now_add=True)

    class Meta:
        verbose_name = _("HR officer role")
        verbose_name_plural = _("HR officer roles")
        ordering = ["organisation__name", "user__full_name"]
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation"], name="unique_hr_role")
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.organisation}"


class MembershipRequest(models.Model):
    """A self-declared organisation (at sign-up or a move from the profile) waiting for proof.

    While it is pending the person stays where they were verified (or nowhere): no HR of the
    requested organisation sees them, only this request in the HR queue.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        APPROVED = "approved", _("Approved")
        REFUSED = "refused", _("Refused")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="membership_requests",
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="membership_requests",
    )
    department = models.ForeignKey(
        Department,
        verbose_name=_("department"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="membership_requests",
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.PENDING
    )
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("membership request")
        verbose_name_plural = _("membership requests")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["user"],
                condition=models.Q(status="pending"),
                name="one_pending_membership_request",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.organisation} ({self.get_status_display()})"


class Invitation(models.Model):
    """HR invites a person into its organisation; accepting the signed link proves membership."""

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="invitations",
    )
    department = models.ForeignKey(
        Department,
        verbose_name=_("department"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="invitations",
    )
    email = models.EmailField(_("e-mail address"))
    full_name = models.CharField(_("full name"), max_length=200)
    job_title = models.CharField(_("job title"), max_length=200, blank=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("invited by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("invited at"), auto_now_add=True)
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("accepted by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "email"],
                condition=models.Q(accepted_at__isnull=True),
                name="one_open_invitation_per_address",
            )
        ]

    def __str__(self) -> str:
        return f"{self.email} → {self.organisation}"


class SingleSignOnRule(models.Model):
    """How one identity provider's claims place people in an organisation and department.

    `provider_id` is the allauth provider id of the OpenID Connect or SAML app. A login whose
    `organisation_claim` equals `claim_value` (or any value, when it is blank) joins
    `organisation`, verified; the department is the organisation's department whose name equals
    the `department_claim` value (departments are never created from claims).
    """

    provider_id = models.CharField(
        _("provider id"),
        max_length=200,
        help_text=_("The provider id of the OpenID Connect or SAML application, e.g. portesmer."),
    )
    organisation_claim = models.CharField(
        _("organisation claim"), max_length=200, default="organisation"
    )
    claim_value = models.CharField(
        _("claim value"),
        max_length=200,
        blank=True,
        help_text=_("Blank: everyone this provider signs in belongs to the organisation."),
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="sso_rules",
    )
    department_claim = models.CharField(
        _("department claim"), max_length=200, blank=True, default="department"
    )

    class Meta:
        verbose_name = _("single sign-on rule")
        verbose_name_plural = _("single sign-on rules")
        ordering = ["provider_id", "claim_value"]
        constraints = [
            models.UniqueConstraint(
                fields=["provider_id", "claim_value"], name="unique_sso_rule_per_value"
            )
        ]

    def __str__(self) -> str:
        return f"{self.provider_id}: {self.claim_value or '*'} → {self.organisation}"
