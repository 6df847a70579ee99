"""The issuer's public documents (profile, key set, status lists) and credential downloads."""

from __future__ import annotations

import base64
import json

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from learners.common.ratelimit import rate_limited
from learners.credentials.baking import badge_svg
from learners.credentials.documents import credential_from_payload
from learners.credentials.models import IssuedCredential
from learners.credentials.selectors import (
    credential_by_code,
    credential_for_holder,
    published_keys,
)
from learners.credentials.services import issuer_profile, status_list_current

JWT_TYPE = "application/vc+jwt"
JSON_LD_TYPE = "application/ld+json"

VERIFY_LIMIT = getattr(settings, "CERTIFICATE_VERIFY_RATE_LIMIT", 30)
VERIFY_WINDOW = getattr(settings, "CERTIFICATE_VERIFY_RATE_WINDOW", 300)


def _public(response: HttpResponse, *, max_age: int) -> HttpResponse:
    response["Cache-Control"] = f"public, max-age={max_age}"
    response["Access-Control-Allow-Origin"] = "*"  # wallets and verifiers fetch these
    return response


def _payload(credential: IssuedCredential) -> dict:
    body = credential.jwt.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))


def _json(document: dict, *, content_type: str = "application/json") -> HttpResponse:
    return HttpResponse(
        json.dumps(document, ensure_ascii=False, indent=2), content_type=content_type
    )


@require_GET
def issuer(request):
    """The issuer's Profile: the `https` id every credential names."""
    profile = issuer_profile()
    document = {
        "@context": [
            "https://www.w3.org/ns/credentials/v2",
            "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
        ],
        "id": profile.id,
        "type": ["Profile"],
        "name": profile.name,
        "url": profile.url,
    }
    return _public(_json(document, content_type=JSON_LD_TYPE), max_age=3600)


@require_GET
def jwks(request):
    """The public keys of every credential ever signed, by `kid` (RFC 7517 JWK set)."""
    response = JsonResponse({"keys": published_keys()})
    return _public(response, max_age=300)


@require_GET
def status_list(request, number: int):
    row = status_list_current(number=number)
    if row is None:
        raise Http404
    return _public(HttpResponse(row.jwt, content_type=JWT_TYPE), max_age=300)


def _download(content: bytes | str, *, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


def _credential_json(credential: IssuedCredential) -> HttpResponse:
    response = _json(credential_from_payload(_payload(credential)), content_type=JSON_LD_TYPE)
    response["Content-Disposition"] = (
        f'attachment; filename="credential-{credential.certificate.display_code}.json"'
    )
    return response


def _holder_credential_or_404(request, code: str) -> IssuedCredential:
    """The signed-in holder's credential for `code`; anyone else's is a 404, so nothing
    confirms that it exists."""
    credential = credential_for_holder(request.user, code)
    if credential is None:
        raise Http404
    return credential


def _credential_jwt(credential: IssuedCredential) -> HttpResponse:
    return _download(
        credential.jwt,
        filename=f"credential-{credential.certificate.display_code}.jwt",
        content_type=JWT_TYPE,
    )


@login_required
@require_GET
def holder_json(request, code: str):
    credential = _holder_credential_or_404(request, code)
    return _credential_json(credential)


@login_required
@require_GET
def holder_jwt(request, code: str):
    credential = _holder_credential_or_404(request, code)
    return _credential_jwt(credential)


@login_required
@require_GET
def holder_badge(request, code: str):
    credential = _holder_credential_or_404(request, code)
    certificate = credential.certificate
    svg = badge_svg(
        token=credential.jwt,
        title=certificate.course_title,
        issuer=certificate.issuer_name,
        caption=_("Certificate"),
    )
    return _download(
        svg, filename=f"badge-{certificate.display_code}.svg", content_type="image/svg+xml"
    )


def _too_many(request):
    return render(request, "429.html", status=429)


@require_GET
def public_json(request, code: str):
    """What the verification page offers: the credential, for anyone who has the code."""
    if rate_limited(request, scope="verify", limit=VERIFY_LIMIT, window_seconds=VERIFY_WINDOW):
        return _too_many(request)
    credential = credential_by_code(code)
    if credential is None:
        raise Http404
    response = _credential_json(credential)
    response["X-Robots-Tag"] = "noindex"
    return response


@require_GET
def public_jwt(request, code: str):
    if rate_limited(request, scope="verify", limit=VERIFY_LIMIT, window_seconds=VERIFY_WINDOW):
        return _too_many(request)
    credential = credential_by_code(code)
    if credential is None:
        raise Http404
    response = _credential_jwt(credential)
    response["X-Robots-Tag"] = "noindex"
    return response
