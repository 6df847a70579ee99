"""Administration of organisations and departments (administrators only, by model permission)."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.panels import FieldPanel
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup

from learners.models import Department, Organisation


class OrganisationViewSet(ModelViewSet):
    model = Organisation
    icon = "group"
    menu_label = _("Organisations")
    list_display = ["name", "level", "country", "parent"]
    list_filter = ["level", "country"]
    search_fields = ["name", "country", "email_domain"]
    panels = [
        FieldPanel("name"),
        FieldPanel("country"),
        FieldPanel("level"),
        FieldPanel("parent"),
        FieldPanel("email_domain"),
    ]


class DepartmentViewSet(ModelViewSet):
    model = Department
    icon = "folder-open-inverse"
    menu_label = _("Departments")
    list_display = ["name", "organisation"]
    list_filter = ["organisation"]
    search_fields = ["name", "organisation__name"]
    panels = [FieldPanel("organisation"), FieldPanel("name")]


class PeopleViewSetGroup(ModelViewSetGroup):
    menu_label = _("People")
    menu_icon = "group"
    menu_order = 250
    items = [OrganisationViewSet("organisations"), DepartmentViewSet("departments")]


@hooks.register("register_admin_viewset")
def register_people_viewsets():
    return PeopleViewSetGroup()
