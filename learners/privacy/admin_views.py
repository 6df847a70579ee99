"""The administrators' erasure: the same erasure a learner asks for, from the Wagtail user admin."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from wagtail.users.utils import user_can_delete_user

from learners.accounts.models import User
from learners.privacy.services import ErasureRefused, account_erase


def has_learning_records(user: User) -> bool:
    """Whether deleting the row would destroy records (or hit a protected certificate)."""
    return (
        user.enrolments.exists()
        or user.certificates.exists()
        or user.quiz_attempts.exists()
        or user.assigned_courses.exists()
    )


def user_erase(request, user_id: int):
    target = get_object_or_404(User, pk=user_id)
    # Whoever may delete a user may erase one; nobody may erase themselves from here.
    if not user_can_delete_user(request.user, target):
        raise PermissionDenied
    if request.method == "POST":
        try:
            account_erase(user=target, erased_by=request.user)
        except ErasureRefused as refused:
            messages.error(request, str(refused))
        else:
            messages.success(
                request,
                _("The personal data of this account was erased; its learning records stay."),
            )
        return redirect("wagtailusers_users:index")
    return render(
        request,
        "learners/privacy/admin/user_erase.html",
        {
            "target": target,
            "page_title": _("Erase personal data"),
            "page_subtitle": str(target),
            "header_icon": "user",
            "has_records": has_learning_records(target),
            "already_erased": hasattr(target, "privacy_erasure"),
        },
    )
