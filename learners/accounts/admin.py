"""Wagtail's user admin forms, fitted to `learners.User` (full name instead of first/last name).

Wagtail's stock forms declare required `first_name`/`last_name` fields; our user has one
`full_name` field and read-only `first_name`/`last_name` properties, so saving the stock form
would fail. These forms drop the two fields and add the profile fields administrators need.
"""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.users.forms import UserCreationForm, UserEditForm
from wagtail.users.views.users import UserViewSet as WagtailUserViewSet

from learners.accounts.models import (
    Department,
    HROfficerRole,
    MembershipProof,
    Organisation,
    SingleSignOnRule,
    User,
)

PROFILE_FIELDS = ["full_name", "organisation", "department", "job_title", "government_level"]


class _ProfileFieldsMixin:
    def _setup_profile_fields(self) -> None:
        self.fields["organisation"].queryset = Organisation.objects.order_by("name")
        self.fields["department"].queryset = Department.objects.select_related(
            "organisation"
        ).order_by("organisation__name", "name")

    def clean(self):
        cleaned = super().clean()
        department = cleaned.get("department")
        if department and department.organisation_id != getattr(
            cleaned.get("organisation"), "pk", None
        ):
            self.add_error("department", _("Choose a department of the organisation you selected."))
        email = cleaned.get("email")
        if email:
            cleaned["email"] = User.objects.normalize_email(email).lower()
        return cleaned

    def _record_proof(self) -> None:
        # An administrator placing someone is itself the proof; say so on the record.
        if {"organisation", "department"} & set(self.changed_data):
            self.instance.membership_proof = (
                MembershipProof.ADMIN if self.instance.organisation_id else ""
            )
            self.instance.membership_verified_at = (
                timezone.now() if self.instance.organisation_id else None
            )

    def save(self, commit=True):
        self._record_proof()
        return super().save(commit=commit)


class LearnerUserCreationForm(_ProfileFieldsMixin, UserCreationForm):
    first_name = None
    last_name = None

    class Meta(UserCreationForm.Meta):
        model = User
        fields = ["email", *PROFILE_FIELDS, "is_superuser", "groups"]
        widgets = {"groups": forms.CheckboxSelectMultiple}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._setup_profile_fields()


class LearnerUserEditForm(_ProfileFieldsMixin, UserEditForm):
    first_name = None
    last_name = None

    class Meta(UserEditForm.Meta):
        model = User
        fields = ["email", *PROFILE_FIELDS, "is_active", "is_superuser", "groups"]
        widgets = {"groups": forms.CheckboxSelectMultiple}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._setup_profile_fields()


class AccountNameEmailForm(forms.ModelForm):
    """The "Name and Email" panel of a person's own Wagtail account page (/admin/account/).

    Wagtail's panel asks for required first and last names, which our user does not store, so
    whatever was typed there was silently dropped. This one edits the full name.
    """

    class Meta:
        model = User
        fields = ["full_name", "email"]

    def __init__(self, *args, **kwargs):
        from wagtail.admin.views.account import email_management_enabled

        super().__init__(*args, **kwargs)
        self.fields["full_name"].required = True
        if not email_management_enabled():
            del self.fields["email"]

    def clean_email(self):
        email = User.objects.normalize_email(self.cleaned_data["email"]).lower()
        if User.objects.filter(email=email).exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(_("Another account already uses this e-mail address."))
        return email


class UserViewSet(WagtailUserViewSet):
    create_template_name = "learners/accounts/admin/user_create.html"
    edit_template_name = "learners/accounts/admin/user_edit.html"

    def get_form_class(self, for_update=False):
        return LearnerUserEditForm if for_update else LearnerUserCreationForm


class OrganisationViewSet(ModelViewSet):
    model = Organisation
    icon = "site"
    form_fields = ["name", "country", "level", "parent", "email_domain", "accepts_join_requests"]
    list_display = ["name", "level", "parent", "email_domain", "accepts_join_requests"]
    list_filter = ["level", "country"]
    search_fields = ["name"]


class DepartmentViewSet(ModelViewSet):
    model = Department
    icon = "folder-open-inverse"
    form_fields = ["organisation", "name"]
    list_display = ["name", "organisation"]
    list_filter = ["organisation"]


class HROfficerRoleViewSet(ModelViewSet):
    model = HROfficerRole
    icon = "user"
    menu_label = _("HR officer roles")
    form_fields = ["user", "organisation"]
    list_display = ["user", "organisation", "granted_at"]
    list_filter = ["organisation"]


class SingleSignOnProviderForm(forms.ModelForm):
    """An allauth SocialApp: OpenID Connect (`settings`: {"server_url": …}) or SAML (`settings`:
    {"idp": {…}, "attribute_mapping": {…}}), see docs/membership.md."""

    class Meta:
        fields = ["provider", "provider_id", "name", "client_id", "secret", "settings"]

    def __init__(self, *args, **kwargs):
        from allauth.socialaccount import providers

        super().__init__(*args, **kwargs)
        self.fields["provider"] = forms.ChoiceField(
            label=_("Protocol"),
            choices=[
                (pid, name)
                for pid, name in providers.registry.as_choices()
                if pid in ("openid_connect", "saml")
            ],
        )


def _single_sign_on_provider_viewset():
    from allauth.socialaccount.models import SocialApp

    class SingleSignOnProviderViewSet(ModelViewSet):
        model = SocialApp
        icon = "key"
        menu_label = _("Single sign-on providers")
        form_fields = SingleSignOnProviderForm.Meta.fields
        list_display = ["name", "provider", "provider_id"]

        def get_form_class(self, for_update=False):
            return type(
                "SocialAppForm",
                (SingleSignOnProviderForm,),
                {"Meta": type("Meta", (SingleSignOnProviderForm.Meta,), {"model": SocialApp})},
            )

    return SingleSignOnProviderViewSet("sso_providers")


class SingleSignOnRuleViewSet(ModelViewSet):
    model = SingleSignOnRule
    icon = "resubmit"
    menu_label = _("Single sign-on rules")
    form_fields = [
        "provider_id",
        "organisation_claim",
        "claim_value",
        "organisation",
        "department_claim",
    ]
    list_display = ["provider_id", "organisation_claim", "claim_value", "organisation"]
    list_filter = ["provider_id"]


class OrganisationsGroup(ViewSetGroup):
    menu_label = _("Organisations")
    menu_icon = "site"
    menu_order = 250
    items = (
        OrganisationViewSet("organisations"),
        DepartmentViewSet("departments"),
        HROfficerRoleViewSet("hr_roles"),
        SingleSignOnRuleViewSet("sso_rules"),
    )

    def __init__(self):
        # SocialApp is allauth's model: its viewset is built once the app registry is ready.
        self.items = (*self.items, _single_sign_on_provider_viewset())
        super().__init__()
