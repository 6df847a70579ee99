"""Reads over certificates, each at a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.utils import timezone, translation

from courses.selectors.certificates import course_language, course_title_in, course_urls
from learners.accounts.models import User
from learners.accounts.selectors import user_in_hr_scope
from learners.certificates.codes import normalise_code
from learners.certificates.models import Certificate, CertificatePdf, CertificateStatus
from learners.common.languages import supported_language

EXPIRING_SOON_DAYS = 60


def certificate_by_code(raw: str) -> Certificate | None:
    """The certificate a typed or scanned code names; None for anything else."""
    code = normalise_code(raw)
    if code is None:
        return None
    return Certificate.objects.filter(code=code).first()


def certificate_language(certificate: Certificate) -> str:
    """The holder's certificate language: their profile setting, else the language they
    enrolled in, else the platform's default (each only when the platform still offers it)."""
    for choice in (certificate.user.language, certificate.enrolment.language):
        language = supported_language(choice)
        if language:
            return language
    return settings.LANGUAGE_CODE


def certificate_course_title(certificate: Certificate, language: str) -> str:
    """The course title as a certificate in `language` prints it: the title frozen at issue in
    the course's own language, else its live translation's title, else the frozen one."""
    if certificate.course_id and course_language(certificate.course_id) != language:
        title = course_title_in(certificate.course_id, language)
        if title:
            return title
    return certificate.course_title


def certificate_verify_address(certificate: Certificate) -> str:
    """The absolute verification address printed on the certificate, the same in every
    language: no language prefix (the unprefixed address takes the visitor's language)."""
    path = certificate.get_verify_url()
    prefix = translation.get_language_from_path(path)
    if prefix:
        path = path[len(prefix) + 1 :]
    return settings.SITE_URL.rstrip("/") + path


def certificate_pdf_file(certificate: Certificate, language: str) -> CertificatePdf | None:
    """The stored PDF of `certificate` in `language`, if rendered already. One query."""
    return CertificatePdf.objects.filter(certificate=certificate, language=language).first()


def certificate_for_download(viewer: User, raw: str) -> Certificate | None:
    """The certificate if `viewer` may download it: holder, HR in scope, administrator."""
    if not viewer.is_authenticated:
        return None
    certificate = (
        Certificate.objects.filter(code=normalise_code(raw) or "-")
        .select_related("user", "enrolment")
        .first()
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
