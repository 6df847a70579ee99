"""My data: export, correct and erase what the platform holds about me."""

from allauth.account.decorators import reauthentication_required
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from wagtail.models import Page

from learners.privacy.forms import AccountEraseForm
from learners.privacy.selectors import held_summary, latest_export
from learners.privacy.services import (
    ErasureRefused,
    ExportRefused,
    account_erase,
    data_export_request,
    export_from_token,
    export_link_token,
)


def _private(response):
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_GET
def my_data(request):
    state = latest_export(request.user, now=timezone.now())
    context = {
        "summary": held_summary(request.user),
        "state": state,
        "download_token": export_link_token(state.export) if state.downloadable else "",
        "link_hours": settings.PRIVACY_EXPORT_LINK_HOURS,
    }
    return _private(render(request, "learners/privacy/my_data.html", context))


@login_required
@require_POST
def export_request(request):
    try:
        _export, queued = data_export_request(user=request.user)
    except ExportRefused as refused:
        messages.error(request, str(refused))
        return redirect("privacy_my_data")
    if queued:
        messages.success(
            request,
            _("We are preparing your data. This page shows when the download is ready."),
        )
    else:
        messages.info(request, _("Your data is already being prepared."))
    return redirect("privacy_my_data")


@login_required
@require_GET
def export_download(request, token: str):
    # Someone else's link, a forged one and an expired one all look the same: not found.
    export = export_from_token(token, user=request.user)
    if export is None:
        raise Http404
    response = FileResponse(
        export.file.open("rb"),
        content_type="application/zip",
        as_attachment=True,
        filename=f"capacitas-my-data-{export.ready_at:%Y-%m-%d}.zip",
    )
    return _private(response)


@login_required
@reauthentication_required
def account_delete(request):
    form = AccountEraseForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            account_erase(user=request.user, erased_by=request.user)
        except ErasureRefused as refused:
            messages.error(request, str(refused))
            return redirect("privacy_my_data")
        logout(request)
        messages.success(
            request, _("Your account has been erased. Thank you for learning with us.")
        )
        return redirect("/")
    return _private(render(request, "learners/privacy/account_delete.html", {"form": form}))


@require_GET
def privacy_notice(request):
    """A stable address for the privacy notice, whichever page the editors made of it."""
    page = (
        Page.objects.live()
        .public()
        .filter(slug=settings.PRIVACY_NOTICE_SLUG, locale__language_code=settings.LANGUAGE_CODE)
        .first()
    ) or Page.objects.live().public().filter(slug=settings.PRIVACY_NOTICE_SLUG).first()
    if page is None:
        raise Http404
    # The notice in the reader's language when it is translated (its slug may differ there).
    return redirect(page.localized.get_url(request))
