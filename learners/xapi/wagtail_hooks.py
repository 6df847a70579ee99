"""LRSs and the xAPI outbox in the Wagtail admin (imported by learners/wagtail_hooks.py)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem


@hooks.register("register_admin_viewset")
def register_lrs_viewset():
    from learners.xapi.admin import LearningRecordStoreViewSet

    return LearningRecordStoreViewSet("learning_record_stores")


@hooks.register("register_admin_urls")
def xapi_admin_urls():
    from django.urls import path

    from learners.xapi import admin_views

    return [path("xapi/outbox/", admin_views.outbox, name="xapi_outbox")]


class _AdministratorMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.is_superuser


@hooks.register("register_settings_menu_item")
def xapi_outbox_menu_item():
    return _AdministratorMenuItem(
        _("xAPI outbox"), reverse("xapi_outbox"), icon_name="upload", order=910
    )
