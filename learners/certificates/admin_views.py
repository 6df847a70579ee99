"""Administrators' certificate pages in the Wagtail admin: list, detail, revoke, re-issue."""

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from learners.certificates.codes import normalise_code
from learners.certificates.models import Certificate, RevocationReason
from learners.certificates.services import (
    CertificateActionRefused,
    certificate_reissue,
    certificate_revoke,
)


class RevokeForm(forms.Form):
    reason = forms.ChoiceField(label=gettext_lazy("Reason"), choices=RevocationReason.choices)
    note = forms.CharField(
        label=gettext_lazy("Note for the audit log"), widget=forms.Textarea, required=False
    )


class ReissueForm(forms.Form):
    holder_name = forms.CharField(
        label=gettext_lazy("Holder's name as it should appear"), max_length=200
    )
    note = forms.CharField(label=gettext_lazy("Why it is re-issued"), widget=forms.Textarea)


def _administrator(request) -> None:
    # Certificates carry personal data; only administrators see them here.
    if not request.user.is_superuser:
        raise Http404


def certificate_index(request):
    _administrator(request)
    query = request.GET.get("q", "").strip()[:100]
    certificates = Certificate.objects.order_by("-issued_at")
    if query:
        code = normalise_code(query)
        condition = Q(holder_name__icontains=query) | Q(course_title__icontains=query)
        if code:
            condition |= Q(code=code)
        certificates = certificates.filter(condition)
    page = Paginator(certificates, 50).get_page(request.GET.get("p"))
    return render(
        request,
        "learners/certificates/admin/certificate_index.html",
        {"page_obj": page, "query": query, "header_title": _("Certificates")},
    )


@require_http_methods(["GET", "POST"])
def certificate_detail(request, pk: int):
    _administrator(request)
    certificate = get_object_or_404(
        Certificate.objects.select_related("user", "superseded_by"), pk=pk
    )
    revoke_form = RevokeForm(prefix="revoke")
    reissue_form = ReissueForm(
        prefix="reissue", initial={"holder_name": certificate.user.full_name}
    )
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "revoke":
                revoke_form = RevokeForm(request.POST, prefix="revoke")
                if revoke_form.is_valid():
                    certificate_revoke(
                        certificate=certificate,
                        actor=request.user,
                        reason=revoke_form.cleaned_data["reason"],
                        note=revoke_form.cleaned_data["note"],
                    )
                    messages.success(request, _("The certificate has been revoked."))
                    return redirect("certificate_admin_detail", pk=certificate.pk)
            elif action == "reissue":
                reissue_form = ReissueForm(request.POST, prefix="reissue")
                if reissue_form.is_valid():
                    new = certificate_reissue(
                        certificate=certificate,
                        actor=request.user,
                        holder_name=reissue_form.cleaned_data["holder_name"],
                        note=reissue_form.cleaned_data["note"],
                    )
                    messages.success(request, _("A new certificate has been issued."))
                    return redirect("certificate_admin_detail", pk=new.pk)
        except CertificateActionRefused as refusal:
            messages.error(request, " ".join(refusal.messages))
            return redirect("certificate_admin_detail", pk=certificate.pk)
    return render(
        request,
        "learners/certificates/admin/certificate_detail.html",
        {
            "certificate": certificate,
            "audit": certificate.audit.select_related("related").all(),
            "revoke_form": revoke_form,
            "reissue_form": reissue_form,
            "header_title": str(certificate),
        },
    )
