"""The xAPI outbox in the Wagtail admin: what waits, what died, and a retry. Administrators only."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_http_methods
from django.views.defaults import permission_denied

from learners.xapi.models import LearningRecordStore, OutboxState
from learners.xapi.selectors import outbox_entries, outbox_overview
from learners.xapi.services import outbox_retry
from learners.xapi.signals import forward_after_commit

STATES = {OutboxState.DEAD: gettext_lazy("Dead"), OutboxState.PENDING: gettext_lazy("Pending")}


def _refused(request):
    """403 for anyone but an administrator. Wagtail's admin turns a raised PermissionDenied into
    a redirect to the dashboard; this answers 403 itself, with the project's 403 page."""
    return permission_denied(request, PermissionDenied())


def _int_list(values: list[str]) -> list[int]:
    return [int(v) for v in values if v.isdigit() and len(v) < 19]


@require_http_methods(["GET", "POST"])
def outbox(request):
    if not request.user.is_superuser:
        return _refused(request)
    if request.method == "POST":
        lrs = None
        lrs_ids = _int_list(request.POST.getlist("lrs"))
        if lrs_ids:
            lrs = LearningRecordStore.objects.filter(pk=lrs_ids[0]).first()
        entry_ids = _int_list(request.POST.getlist("entry")) or None
        if lrs is None and entry_ids is None:
            messages.error(request, _("Choose the statements to send again."))
        else:
            count = outbox_retry(entry_ids=entry_ids, lrs=lrs)
            if count:
                forward_after_commit()
            messages.success(
                request,
                ngettext(
                    "%(count)d statement will be sent again.",
                    "%(count)d statements will be sent again.",
                    count,
                )
                % {"count": count},
            )
        return redirect(f"{request.path}?state={request.POST.get('state', 'dead')}")
    state = request.GET.get("state", OutboxState.DEAD)
    if state not in STATES:
        state = OutboxState.DEAD
    page = Paginator(outbox_entries(state=state), 50).get_page(request.GET.get("p"))
    return render(
        request,
        "learners/xapi/admin/outbox.html",
        {
            "stores": outbox_overview(),
            "page_obj": page,
            "state": state,
            "states": list(STATES.items()),
            "state_label": STATES[state],
            "header_title": _("xAPI outbox"),
        },
    )
