"""Erasure in the Wagtail user admin, in place of a delete that would break records."""

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.admin.widgets import ListingButton
from wagtail.users.utils import user_can_delete_user

from learners.accounts.models import User
from learners.privacy import admin_views


@hooks.register("register_admin_urls")
def register_privacy_admin_urls():
    return [path("privacy/erase/<int:user_id>/", admin_views.user_erase, name="privacy_user_erase")]


@hooks.register("register_user_listing_buttons")
def user_erase_button(user, request_user):
    if user_can_delete_user(request_user, user) and not hasattr(user, "privacy_erasure"):
        yield ListingButton(
            gettext_lazy("Erase personal data"),
            reverse("privacy_user_erase", args=[user.pk]),
            priority=40,
        )


@hooks.register("before_delete_user")
def erase_instead_of_delete(request, user):
    # Deleting a person who learned here would either fail (certificates are protected) or
    # silently remove enrolments and attempts from HR figures; erasure keeps them.
    if not admin_views.has_learning_records(user):
        return None
    messages.warning(
        request,
        _(
            "%(name)s has learning records that must stay (certificates, HR figures). "
            "Erase their personal data instead."
        )
        % {"name": user},
    )
    return redirect("privacy_user_erase", user_id=user.pk)


@hooks.register("before_bulk_action")
def refuse_bulk_delete_of_learners(request, action_type, objects, action_class_instance):
    if action_type != "delete" or getattr(action_class_instance, "model", None) is not User:
        return None
    keep = [user for user in objects if admin_views.has_learning_records(user)]
    if not keep:
        return None
    messages.error(
        request,
        _(
            "Nothing was deleted: %(names)s have learning records that must stay. "
            "Erase their personal data one by one instead."
        )
        % {"names": ", ".join(str(user) for user in keep)},
    )
    return redirect("wagtailusers_users:index")
