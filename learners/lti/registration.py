"""What Capacitas tells platforms about itself: the Canvas JSON configuration, and LTI Dynamic
Registration (IMS LTI Dynamic Registration 1.0), which django-lti does not provide.

Dynamic registration: an administrator runs `manage.py lti_registration_url`, which prints a
one-time address valid for a day, and pastes it into the platform (Moodle: Site administration ›
Plugins › External tool › Manage tools › "Tool URL…"). The platform opens it with
`openid_configuration` and `registration_token`; we fetch the platform's configuration, post
ours to its registration endpoint, and store the registration and deployment it answers.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

import requests
from django.core import signing
from django.db import transaction
from lti_tool.models import LtiDeployment, LtiRegistration

from learners.lti.services import nonce_consume

SALT = "learners.lti.dynamic-registration"
MAX_AGE = 24 * 3600
TOOL_CONFIGURATION = "https://purl.imsglobal.org/spec/lti-tool-configuration"
PLATFORM_CONFIGURATION = "https://purl.imsglobal.org/spec/lti-platform-configuration"
SCOPES = [
    "https://purl.imsglobal.org/spec/lti-ags/scope/lineitem",
    "https://purl.imsglobal.org/spec/lti-ags/scope/lineitem.readonly",
    "https://purl.imsglobal.org/spec/lti-ags/scope/result.readonly",
    "https://purl.imsglobal.org/spec/lti-ags/scope/score",
]


class RegistrationRefused(Exception):
    pass


@dataclass(frozen=True)
class ToolUrls:
    login: str
    launch: str
    jwks: str
    logo: str = ""


def registration_token_make() -> str:
    """A signed, one-time token for the dynamic registration address (valid MAX_AGE)."""
    return signing.TimestampSigner(salt=SALT).sign_object({"purpose": "lti-registration"})


def registration_token_check(token: str) -> None:
    try:
        signing.TimestampSigner(salt=SALT).unsign_object(token, max_age=MAX_AGE)
    except signing.BadSignature as error:
        raise RegistrationRefused("invalid-token") from error


def tool_configuration(urls: ToolUrls, *, name: str = "Capacitas") -> dict:
    """Our OpenID client registration, as LTI Dynamic Registration 1.0 defines it."""
    return {
        "application_type": "web",
        "response_types": ["id_token"],
        "grant_types": ["implicit", "client_credentials"],
        "initiate_login_uri": urls.login,
        "redirect_uris": [urls.launch],
        "client_name": name,
        "jwks_uri": urls.jwks,
        **({"logo_uri": urls.logo} if urls.logo else {}),
        "token_endpoint_auth_method": "private_key_jwt",
        "scope": " ".join(SCOPES),
        TOOL_CONFIGURATION: {
            "domain": urlsplit(urls.launch).netloc,
            "target_link_uri": urls.launch,
            "claims": ["iss", "sub", "name", "email"],
            "messages": [
                {"type": "LtiDeepLinkingRequest", "target_link_uri": urls.launch, "label": name}
            ],
        },
    }


def canvas_configuration(urls: ToolUrls, *, name: str = "Capacitas") -> dict:
    """The JSON a Canvas administrator gives a Developer Key (LTI key › "Enter URL")."""
    placement = {"message_type": "LtiDeepLinkingRequest", "target_link_uri": urls.launch}
    return {
        "title": name,
        "description": "Courses, lessons and quizzes from Capacitas.",
        "oidc_initiation_url": urls.login,
        "target_link_uri": urls.launch,
        "public_jwk_url": urls.jwks,
        "scopes": SCOPES,
        "extensions": [
            {
                "platform": "canvas.instructure.com",
                "privacy_level": "public",
                "settings": {
                    "placements": [
                        {"placement": "link_selection", **placement},
                        {"placement": "assignment_selection", **placement},
                    ]
                },
            }
        ],
        "custom_fields": {},
    }


def _same_origin(a: str, b: str) -> bool:
    one, two = urlsplit(a), urlsplit(b)
    return (one.scheme, one.netloc) == (two.scheme, two.netloc)


def dynamic_register(
    *,
    token: str,
    openid_configuration: str,
    registration_token: str,
    urls: ToolUrls,
    session: requests.Session | None = None,
) -> LtiRegistration:
    """Register with the platform that opened our registration address; one use per token."""
    registration_token_check(token)
    if not nonce_consume(issuer="dynamic-registration", nonce=token[-64:]):
        raise RegistrationRefused("token-used")
    if urlsplit(openid_configuration).scheme not in ("http", "https"):
        raise RegistrationRefused("bad-configuration-url")
    http = session or requests.Session()
    try:
        answer = http.get(openid_configuration, timeout=10)
        answer.raise_for_status()
        platform = answer.json()
    except (requests.RequestException, ValueError) as error:
        raise RegistrationRefused("configuration-unreadable") from error
    issuer = platform.get("issuer") or ""
    needed = ("authorization_endpoint", "token_endpoint", "jwks_uri", "registration_endpoint")
    if not issuer or any(not platform.get(key) for key in needed):
        raise RegistrationRefused("configuration-incomplete")
    # The spec: the configuration must come from the issuer's own site.
    if not _same_origin(openid_configuration, issuer):
        raise RegistrationRefused("issuer-mismatch")
    headers = {"Content-Type": "application/json"}
    if registration_token:
        headers["Authorization"] = f"Bearer {registration_token}"
    try:
        posted = http.post(
            platform["registration_endpoint"],
            json=tool_configuration(urls),
            headers=headers,
            timeout=10,
        )
        posted.raise_for_status()
        client = posted.json()
    except (requests.RequestException, ValueError) as error:
        raise RegistrationRefused("registration-refused") from error
    client_id = client.get("client_id")
    if not client_id:
        raise RegistrationRefused("registration-refused")
    deployment_id = (client.get(TOOL_CONFIGURATION) or {}).get("deployment_id")
    name = (platform.get(PLATFORM_CONFIGURATION) or {}).get("product_family_code") or issuer
    with transaction.atomic():
        registration, _created = LtiRegistration.objects.update_or_create(
            issuer=issuer,
            client_id=client_id,
            defaults={
                "name": f"{name} ({issuer})"[:255],
                "auth_url": platform["authorization_endpoint"],
                "token_url": platform["token_endpoint"],
                "keyset_url": platform["jwks_uri"],
                "is_active": True,
            },
        )
        if deployment_id:
            LtiDeployment.objects.update_or_create(
                registration=registration,
                deployment_id=str(deployment_id),
                defaults={"is_active": True},
            )
    return registration
