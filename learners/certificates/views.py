"""Public verification, the holder's PDF, and retaking a course to recertify."""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from courses.selectors.content import get_live_course
from learners.certificates.codes import format_code, normalise_code
from learners.certificates.models import CertificateStatus
from learners.certificates.selectors import (
    certificate_by_code,
    certificate_course_title,
    certificate_for_download,
    certificate_language,
    certificate_pdf_file,
    retake_allowed,
)
from learners.certificates.services import certificate_public_details_set
from learners.certificates.tasks import certificate_render
from learners.common.languages import active_language, language_codes, language_name
from learners.common.ratelimit import rate_limited
from learners.common.redirects import safe_next_url
from learners.common.storage import private_file_response
from learners.progress.services import enrolment_renew

VERIFY_LIMIT = getattr(settings, "CERTIFICATE_VERIFY_RATE_LIMIT", 30)


VERIFY_WINDOW = getattr(settings, "CERTIFICATE_VERIFY_RATE_WINDOW", 300)


class VerifyForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Verification code"),
        max_length=80,
        help_text=gettext_lazy(
            "The code printed on the certificate, for example 7K3M-Q9TD-… "
            "Letters may be typed in lower case; dashes and spaces are optional."
        ),
    )


def _too_many(request):
    return render(request, "429.html", status=429)


@require_GET
def verify_form(request):
    form = VerifyForm(request.GET or None)
    if form.is_bound and form.is_valid():
        code = normalise_code(form.cleaned_data["code"])
        if code is not None:
            # The lookup (and its rate limit) happens once, on the page it leads to.
            return redirect("certificate_verify", code=format_code(code))
        if rate_limited(request, scope="verify", limit=VERIFY_LIMIT, window_seconds=VERIFY_WINDOW):
            return _too_many(request)
        return _not_found(request)
    return render(request, "learners/certificates/verify_form.html", {"form": form})


def _not_found(request):
    # One page, one status for every wrong code: nothing tells a guess how close it was.
    return render(
        request, "learners/certificates/verify_not_found.html", {"form": VerifyForm()}, status=404
    )


@require_GET
def verify(request, code: str):
    if rate_limited(request, scope="verify", limit=VERIFY_LIMIT, window_seconds=VERIFY_WINDOW):
        return _too_many(request)
    certificate = certificate_by_code(code)
    if certificate is None:
        return _not_found(request)
    if code != certificate.display_code:
        return redirect(certificate.get_verify_url())
    status = certificate.status_on(timezone.localdate())
    response = render(
        request,
        "learners/certificates/verify.html",
        {
            "certificate": certificate,
            # The page reads in the visitor's language (the URL's); so does the course title.
            "course_title": certificate_course_title(certificate, active_language()),
            "status": status,
            "Status": CertificateStatus,
            # Score and revocation reason are the holder's to publish (public_details).
            "details": certificate.public_details,
            "replacement": certificate.superseded_by if status == "superseded" else None,
        },
    )
    response["X-Robots-Tag"] = "noindex"
    response["Referrer-Policy"] = "no-referrer"
    return response


@require_GET
def certificate_pdf(request, code: str):
    """The PDF in the holder's certificate language, or in `?language=` (any of LANGUAGES):
    the same certificate, code and verification address in each."""
    certificate = certificate_for_download(request.user, code)
    if certificate is None:
        raise Http404
    asked = request.GET.get("language")
    language = certificate_language(certificate) if asked is None else asked
    if language not in language_codes():
        return render(
            request,
            "400.html",
            {
                "reason": _(
                    "The certificate is not available in “%(language)s”. "
                    "Choose one of: %(languages)s."
                )
                % {
                    "language": asked,
                    "languages": ", ".join(language_name(code) for code in language_codes()),
                }
            },
            status=400,
        )
    stored = certificate_pdf_file(certificate, language)
    if stored is None:
        # Normally rendered right after issue (in the holder's language); another language is
        # rendered on its first download. The worker may still be busy.
        certificate_render.enqueue(certificate.pk, language)
        stored = certificate_pdf_file(certificate, language)
    if stored is None:
        return render(
            request,
            "learners/certificates/pdf_pending.html",
            {"certificate": certificate},
            status=503,
        )
    suffix = "" if asked is None else f"-{language}"
    return private_file_response(
        stored.file,
        filename=f"certificate-{certificate.display_code}{suffix}.pdf",
        content_type="application/pdf",
    )


@login_required
@require_POST
def public_details(request, code: str):
    """The holder's switch: score and revocation reason on the public page, or not."""
    certificate = certificate_by_code(code)
    if certificate is None or certificate.user_id != request.user.pk:
        raise Http404  # someone else's certificate reads the same as no certificate
    public = request.POST.get("public_details") == "on"
    certificate_public_details_set(holder=request.user, certificate=certificate, public=public)
    if public:
        messages.success(
            request,
            _("The verification page of “%(course)s” now shows your score.")
            % {"course": certificate.course_title},
        )
    else:
        messages.success(
            request,
            _("The verification page of “%(course)s” no longer shows your score.")
            % {"course": certificate.course_title},
        )
    return redirect(safe_next_url(request, request.POST.get("next"), reverse("learn_dashboard")))


@login_required
@require_POST
def retake(request, course_id: int):
    course = get_live_course(course_id)
    if course is None or not retake_allowed(request.user, course.pk):
        raise Http404
    enrolment_renew(user=request.user, course=course, language=request.LANGUAGE_CODE)
    messages.success(
        request,
        _("A new cycle of the course has started. Your earlier certificates stay on record."),
    )
    return redirect(course.url)
