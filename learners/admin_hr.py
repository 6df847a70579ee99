"""Wagtail admin for the organisation tree and HR roles. Only administrators (superusers, or
groups an administrator deliberately grants the model permissions) see these menus."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet

from learners.models import Department, HROfficerRole, Organisation


class OrganisationViewSet(ModelViewSet):
    model = Organisation
    icon = "site"
    form_fields = ["name", "country", "level", "parent", "email_domain"]
    list_display = ["name", "level", "parent", "email_domain"]
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


class OrganisationsGroup(ViewSetGroup):
    menu_label = _("Organisations")
    menu_icon = "site"
    menu_order = 250
    items = (
        OrganisationViewSet("organisations"),
        DepartmentViewSet("departments"),
        HROfficerRoleViewSet("hr_roles"),
    )
