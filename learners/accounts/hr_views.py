"""HR pages for membership: the queue of join requests and invitations (/hr/members/).

Thin views: signed in, an HR officer (else 403), the object in scope (else 404).
"""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from learners.accounts.decorators import hr_officer_required
from learners.accounts.forms import InvitationCSVForm, InvitationForm
from learners.accounts.selectors import (
    invitations_open,
    membership_requests_pending,
)
from learners.accounts.services import (
    InvitationRow,
    InvitationsRefused,
    MembershipDecisionRefused,
    invitation_csv_parse,
    invitation_rows_check,
    invitation_token,
    invitations_create,
    membership_request_decide,
)

_hr_only = hr_officer_required


def _accept_url_for(request):
    return lambda invitation: request.build_absolute_uri(
        reverse("membership_invitation", args=[invitation_token(invitation)])
    )


@_hr_only
@require_http_methods(["GET"])
def members(request):
    return render(
        request,
        "learners/accounts/hr/members.html",
        {
            "requests": list(membership_requests_pending(request.user)),
            "invitations": list(invitations_open(request.user)[:200]),
        },
    )


@_hr_only
@require_POST
def request_decide(request, request_id: int):
    decision = request.POST.get("decision")
    if decision not in ("approve", "refuse"):
        return HttpResponseBadRequest(_("Choose to approve or to refuse."))
    try:
        decided = membership_request_decide(
            membership_request_id=request_id, officer=request.user, approve=decision == "approve"
        )
    except MembershipDecisionRefused:
        raise Http404 from None
    if decision == "approve":
        message = _("%(name)s is now a member of %(organisation)s.")
    else:
        message = _("The request of %(name)s to join %(organisation)s was refused.")
    messages.success(
        request, message % {"name": decided.user.full_name, "organisation": decided.organisation}
    )
    return redirect("hr_members")


@_hr_only
@require_http_methods(["GET", "POST"])
def invite(request):
    form = InvitationForm(request.POST or None, officer=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        row = InvitationRow(
            line=1,
            full_name=data["full_name"],
            email=data["email"],
            department_name=data["department"].name if data["department"] else "",
            job_title=data["job_title"],
        )
        try:
            invitations_create(
                organisation=data["organisation"],
                rows=[row],
                invited_by=request.user,
                accept_url_for=_accept_url_for(request),
            )
        except InvitationsRefused as refused:
            for error in refused.rows[0].errors:
                form.add_error("email", error)
        else:
            messages.success(
                request, _("An invitation was sent to %(email)s.") % {"email": row.email}
            )
            return redirect("hr_members")
    return render(request, "learners/accounts/hr/invite.html", {"form": form})


@_hr_only
@require_http_methods(["GET", "POST"])
def invite_csv(request):
    form = InvitationCSVForm(request.POST or None, request.FILES or None, officer=request.user)
    context = {"form": form, "rows": None, "file_errors": []}
    if request.method == "POST" and form.is_valid():
        organisation = form.cleaned_data["organisation"]
        rows, file_errors = invitation_csv_parse(text=form.cleaned_data["csv_text"])
        context["file_errors"] = file_errors
        if rows:
            rows = invitation_rows_check(rows=rows, organisation=organisation)
            context.update(
                rows=rows,
                error_count=sum(1 for r in rows if r.errors),
                csv_text=form.cleaned_data["csv_text"],
                organisation=organisation,
            )
            if request.POST.get("step") == "confirm" and not context["error_count"]:
                try:
                    created = invitations_create(
                        organisation=organisation,
                        rows=rows,
                        invited_by=request.user,
                        accept_url_for=_accept_url_for(request),
                    )
                except InvitationsRefused as refused:
                    context.update(
                        rows=refused.rows,
                        error_count=sum(1 for r in refused.rows if r.errors),
                    )
                else:
                    messages.success(
                        request,
                        ngettext(
                            "%(count)d invitation was sent.",
                            "%(count)d invitations were sent.",
                            len(created),
                        )
                        % {"count": len(created)},
                    )
                    return redirect("hr_members")
    status = 400 if request.method == "POST" and (context["file_errors"] or form.errors) else 200
    return render(request, "learners/accounts/hr/invite_csv.html", context, status=status)
