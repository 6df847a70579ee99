"""The learner's own profile page and the invitation link."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from learners.accounts.forms import ProfileForm
from learners.accounts.selectors import membership_request_pending_for
from learners.accounts.services import (
    InvitationNotForYou,
    invitation_accept,
    invitation_from_token,
    membership_request_submit,
)


@login_required
@require_http_methods(["GET", "POST"])
def profile_edit(request):
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            form.save()
            pending = membership_request_submit(
                user=request.user,
                organisation=form.cleaned_data.get("organisation"),
                department=form.cleaned_data.get("department"),
            )
        messages.success(request, _("Your profile has been saved."))
        if pending is not None:
            messages.info(
                request,
                _("Your request to join %(organisation)s waits for its HR officers' approval.")
                % {"organisation": pending.organisation.name},
            )
        return redirect("profile_edit")
    return render(
        request,
        "learners/accounts/profile.html",
        {"form": form, "pending": membership_request_pending_for(request.user)},
    )


@require_http_methods(["GET", "POST"])
def invitation_respond(request, token: str):
    """GET shows the invitation (anyone holding the link); POST accepts it, signed in as the
    invited address. Signing in or up comes back here through `next`."""
    invitation = invitation_from_token(token)
    if invitation is None:
        return render(request, "learners/accounts/invitation_invalid.html", status=404)
    wrong_account = (
        request.user.is_authenticated and request.user.email.lower() != invitation.email.lower()
    )
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect(f"{request.path}")
        try:
            invitation_accept(invitation=invitation, user=request.user)
        except InvitationNotForYou:
            wrong_account = True
        else:
            messages.success(
                request,
                _("Welcome to %(organisation)s.") % {"organisation": invitation.organisation.name},
            )
            return redirect("profile_edit")
    return render(
        request,
        "learners/accounts/invitation.html",
        {"invitation": invitation, "wrong_account": wrong_account},
        status=403 if wrong_account and request.method == "POST" else 200,
    )
