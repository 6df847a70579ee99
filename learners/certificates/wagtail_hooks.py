"""Certificates in the Wagtail admin: administrators only."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem


@hooks.register("register_admin_urls")
def certificate_admin_urls():
    from django.urls import path

    from learners.certificates import admin_views as certificate_admin

    return [
        path("certificates/", certificate_admin.certificate_index, name="certificate_admin_index"),
        path(
            "certificates/<id:pk>/",
            certificate_admin.certificate_detail,
            name="certificate_admin_detail",
        ),
    ]


class _AdministratorMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.is_superuser


@hooks.register("register_admin_menu_item")
def certificate_menu_item():
    return _AdministratorMenuItem(
        _("Certificates"), reverse("certificate_admin_index"), icon_name="doc-full", order=900
    )
