"""The transcript page and its PDF download."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from learners.certificates.transcript import learner_transcript_rows, render_transcript_pdf


@login_required
@require_GET
def transcript(request):
    return render(
        request,
        "learners/progress/transcript.html",
        {"transcript": learner_transcript_rows(request.user)},
    )


@login_required
@require_GET
def transcript_pdf(request):
    today = timezone.localdate()
    content = render_transcript_pdf(
        learner_transcript_rows(request.user, today=today),
        issuer=settings.WAGTAIL_SITE_NAME,
        generated_on=today,
    )
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="transcript-{today.isoformat()}.pdf"'
    # A transcript carries personal data: no shared cache may keep it.
    response["Cache-Control"] = "private, no-store"
    return response
