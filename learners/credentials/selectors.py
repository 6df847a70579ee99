"""Reads over credentials, each at a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.utils import timezone

from learners.accounts.models import User
from learners.certificates.models import Certificate, CertificateStatus
from learners.certificates.selectors import certificate_by_code
from learners.credentials.models import IssuedCredential, SigningKey


class CredentialStatus:
    VALID = "valid"
    REVOKED = "revoked"  # revoked, or replaced by a corrected certificate
    EXPIRED = "expired"


def credential_status(certificate: Certificate, *, today: date | None = None) -> str:
    """What a verifier of the credential finds: the status list bit, then validUntil."""
    status = certificate.status_on(today or timezone.localdate())
    if status in (CertificateStatus.REVOKED, CertificateStatus.SUPERSEDED):
        return CredentialStatus.REVOKED
    if status == CertificateStatus.EXPIRED:
        return CredentialStatus.EXPIRED
    return CredentialStatus.VALID


@dataclass(frozen=True)
class CredentialView:
    credential: IssuedCredential
    status: str


def credential_of(certificate: Certificate | None) -> CredentialView | None:
    """The credential of a certificate, with its status (one query)."""
    if certificate is None or certificate.pk is None:
        return None
    credential = IssuedCredential.objects.filter(certificate_id=certificate.pk).first()
    if credential is None:
        return None
    return CredentialView(credential=credential, status=credential_status(certificate))


def credential_for_holder(viewer: User, raw_code: str) -> IssuedCredential | None:
    """The credential of the certificate with this code, if `viewer` holds it."""
    if not viewer.is_authenticated:
        return None
    certificate = certificate_by_code(raw_code)
    if certificate is None or certificate.user_id != viewer.pk:
        return None
    return (
        IssuedCredential.objects.filter(certificate=certificate)
        .exclude(jwt="")  # erased with the holder's account
        .select_related("certificate")
        .first()
    )


def credential_by_code(raw_code: str) -> IssuedCredential | None:
    certificate = certificate_by_code(raw_code)
    if certificate is None:
        return None
    return (
        IssuedCredential.objects.filter(certificate=certificate)
        .exclude(jwt="")  # erased with the holder's account
        .select_related("certificate")
        .first()
    )


def published_keys() -> list[dict]:
    """Every public key that has signed, current and retired: the JWK set (one query)."""
    return [key.public_jwk for key in SigningKey.objects.order_by("first_used_at", "id")]
