"""LTI platforms in the Wagtail admin (Settings › LTI platforms / LTI deployments).

A manual registration: the platform's issuer, client id, login (auth), token and key set
URLs, then its deployment ids (active). Administrators only.
"""

from django import forms
from django.utils.translation import gettext_lazy as _
from lti_tool.models import LtiDeployment, LtiRegistration
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies.base import ModelPermissionPolicy


class SuperuserOnly(ModelPermissionPolicy):
    def user_has_permission(self, user, action):
        return bool(user.is_active and user.is_superuser)

    def user_has_any_permission(self, user, actions):
        return bool(user.is_active and user.is_superuser)


class LtiRegistrationForm(WagtailAdminModelForm):
    auth_url = forms.URLField(
        label=_("Login (OIDC authorisation) URL"),
        assume_scheme="https",
        help_text=_("Moodle: …/mod/lti/auth.php · Canvas: …/api/lti/authorize_redirect"),
    )
    token_url = forms.URLField(
        label=_("Access token URL"),
        assume_scheme="https",
        help_text=_("Moodle: …/mod/lti/token.php · Canvas: …/login/oauth2/token"),
    )
    keyset_url = forms.URLField(
        label=_("Public key set URL"),
        assume_scheme="https",
        help_text=_("Moodle: …/mod/lti/certs.php · Canvas: …/api/lti/security/jwks"),
    )

    class Meta:
        model = LtiRegistration
        fields = [
            "name",
            "issuer",
            "client_id",
            "audience",
            "auth_url",
            "token_url",
            "keyset_url",
            "is_active",
        ]


class LtiRegistrationViewSet(ModelViewSet):
    model = LtiRegistration
    icon = "link"
    menu_label = _("LTI platforms")
    add_to_settings_menu = True
    list_display = ["name", "issuer", "client_id", "is_active"]

    def get_form_class(self, for_update=False):
        return LtiRegistrationForm


class LtiDeploymentViewSet(ModelViewSet):
    model = LtiDeployment
    icon = "link"
    menu_label = _("LTI deployments")
    add_to_settings_menu = True
    list_display = ["registration", "deployment_id", "is_active"]
    form_fields = ["registration", "deployment_id", "is_active"]
