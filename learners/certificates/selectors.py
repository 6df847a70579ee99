"""Reads over certificates, each at a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.utils import timezone

from courses.selectors.certificates import course_urls
from learners.accounts.models import User
from learners.accounts.selectors import user_in_hr_scope
from learners.certificates.codes import normalise_code
from learners.certificates.models import Certificate, CertificateStatus

EXPIRING_SOON_DAYS = 60


def certificate_by_code(raw: str) -> Certificate | None:
    """The certificate a typed or scanned code names; None for anything else."""
    code = normalise_code(raw)
    if code is None:
        return None
    return Certificate.objects.filter(code=code).first()


def certificate_for_download(viewer: User, raw: str) -> Certificate | None:
    """The certificate if `viewer` may download it: holder, HR in scope, administrator."""
    if not viewer.is_authenticated:
        return None
    certificate = (
        Certificate.objects.filter(code=normalise_code(raw) or "-").select_related("user").first()
    )
    if certificate is None:
        return None
    if (
        certificate.user_id == viewer.pk
        or viewer.is_superuser
        or user_in_hr_scope(viewer, certificate.user)
    ):
        return certificate
    return None


@dataclass
class CertificateRow:
    certificate: Certificate
    status: str
    course_url: str | None
    can_retake: bool

    @property
    def expiring_soon(self) -> bool:
        expires = self.certificate.expires_on
        return (
            self.status == CertificateStatus.VALID
            and expires is not None
            and (expires - timezone.localdate()).days <= EXPIRING_SOON_DAYS
        )


def learner_certificates(user: User, *, today: date | None = None) -> list[CertificateRow]:
    """The learner's certificates (superseded ones left out), newest first: two queries."""
    if not user.is_authenticated:
        return []
    today = today or timezone.localdate()
    certificates = list(
        Certificate.objects.filter(user=user, superseded_at__isnull=True)
        .select_related("enrolment")
        .order_by("-issued_at")
    )
    urls = course_urls({c.course_id for c in certificates if c.course_id})
    rows = []
    latest_per_course: set[int] = set()
    for certificate in certificates:
        status = certificate.status_on(today)
        # Retaking is offered on the newest certificate of a course when it has expired or is
        # close to expiry, and only when the cycle it closed is still the current one.
        newest = certificate.course_id not in latest_per_course
        latest_per_course.add(certificate.course_id)
        expiring = (
            certificate.expires_on is not None
            and (certificate.expires_on - today).days <= EXPIRING_SOON_DAYS
        )
        rows.append(
            CertificateRow(
                certificate=certificate,
                status=status,
                course_url=urls.get(certificate.course_id),
                can_retake=bool(
                    newest
                    and certificate.course_id in urls
                    and certificate.enrolment.archived_at is None
                    and status in (CertificateStatus.VALID, CertificateStatus.EXPIRED)
                    and expiring
                ),
            )
        )
    return rows


def retake_allowed(user: User, course_id: int) -> bool:
    return any(
        row.can_retake and row.certificate.course_id == course_id
        for row in learner_certificates(user)
    )
