"""Issuing, re-issuing and revoking certificates; expiry reminders."""

from __future__ import annotations

import logging
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from courses.selectors.certificates import certificate_template_for, certificate_terms
from learners.accounts.models import User
from learners.attempts.selectors import final_assessment_score
from learners.certificates.codes import generate_code
from learners.certificates.models import (
    AuditAction,
    Certificate,
    CertificateAuditEntry,
    CertificateReminder,
    RevocationReason,
)
from learners.certificates.rules import REMINDER_THRESHOLDS, certificate_expiry, reminder_due
from learners.common.page_state import learner_pages_changed
from learners.progress.models import Enrolment, Verb
from learners.progress.services import activity_record
from learners.workbooks.selectors import accepted_capstone_titles

log = logging.getLogger(__name__)


class CertificateActionRefused(ValidationError):
    pass


def _audit(
    *,
    certificate: Certificate,
    action: AuditAction,
    actor: User | None,
    reason: str = "",
    note: str = "",
    related: Certificate | None = None,
) -> CertificateAuditEntry:
    return CertificateAuditEntry.objects.create(
        certificate=certificate,
        action=action,
        actor=actor,
        actor_name=(actor.get_full_name() or actor.email) if actor else "",
        reason=reason,
        note=note,
        related=related,
    )


def _new_certificate(*, enrolment: Enrolment, holder_name: str) -> Certificate:
    """The snapshot of what the certificate certifies, frozen now."""
    terms = certificate_terms(enrolment.course_id) if enrolment.course_id else None
    template = certificate_template_for(terms.template_id if terms else None)
    completed_on = timezone.localdate(enrolment.completed_at)
    for _attempt in range(5):
        code = generate_code()
        if not Certificate.objects.filter(code=code).exists():
            break
    return Certificate(
        user=enrolment.user,
        enrolment=enrolment,
        course_id=enrolment.course_id,
        code=code,
        holder_name=holder_name,
        course_title=terms.title if terms else enrolment.course_title,
        completed_on=completed_on,
        estimated_hours=terms.estimated_hours if terms else None,
        final_score=final_assessment_score(enrolment),
        capstone_title="; ".join(accepted_capstone_titles(enrolment))[:255],
        issuer_name=template.issuer_name,
        signatory_name=template.signatory_name,
        signatory_title=template.signatory_title,
        expires_on=certificate_expiry(completed_on, terms.validity_months if terms else None),
    )


def _enqueue_render(certificate: Certificate) -> None:
    from learners.certificates.tasks import certificate_render

    pk = certificate.pk
    transaction.on_commit(lambda: certificate_render.enqueue(pk))


def certificate_issue(*, enrolment: Enrolment) -> tuple[Certificate, bool]:
    """Issue the certificate of a completed enrolment; (certificate, created).

    Exactly once per enrolment cycle: the row lock serialises concurrent callers and the
    partial unique constraint turns any race that slips past it into an IntegrityError.
    """
    if enrolment.completed_at is None:
        raise CertificateActionRefused(_("The course is not complete yet."))
    with transaction.atomic():
        locked = Enrolment.objects.select_for_update().select_related("user").get(pk=enrolment.pk)
        existing = Certificate.objects.filter(enrolment=locked, superseded_at__isnull=True).first()
        if existing:
            return existing, False
        certificate = _new_certificate(enrolment=locked, holder_name=locked.user.full_name)
        try:
            with transaction.atomic():
                certificate.save()
        except IntegrityError:
            return Certificate.objects.get(enrolment=locked, superseded_at__isnull=True), False
        _audit(certificate=certificate, action=AuditAction.ISSUED, actor=None)
        activity_record(
            actor=locked.user,
            verb=Verb.EARNED,
            object_type="certificate",
            object_id=certificate.pk,
            object_title=certificate.course_title,
            course_id=locked.course_id,
            course_title=certificate.course_title,
            score=certificate.final_score,
        )
        _enqueue_render(certificate)
    return certificate, True


def on_course_completed(sender, enrolment: Enrolment, **kwargs) -> None:
    certificate_issue(enrolment=enrolment)


def certificate_reissue(
    *, certificate: Certificate, actor: User, note: str, holder_name: str = ""
) -> Certificate:
    """Replace a certificate (e.g. the holder's name was wrong): new code, old one superseded."""
    note = note.strip()
    if not note:
        raise CertificateActionRefused(_("Say why the certificate is re-issued."))
    with transaction.atomic():
        old = (
            Certificate.objects.select_for_update()
            .select_related("enrolment", "user")
            .get(pk=certificate.pk)
        )
        if old.revoked_at or old.superseded_at:
            raise CertificateActionRefused(
                _("Only a certificate that is neither revoked nor superseded can be re-issued.")
            )
        old.superseded_at = timezone.now()
        old.save(update_fields=["superseded_at"])
        new = _new_certificate(
            enrolment=old.enrolment, holder_name=holder_name.strip() or old.user.full_name
        )
        # What the course said at the first issue stays; only the corrected name changes.
        for field in (
            "course_title",
            "completed_on",
            "estimated_hours",
            "capstone_title",
            "final_score",
            "issuer_name",
            "signatory_name",
            "signatory_title",
            "expires_on",
            "public_details",  # the holder's choice carries over to the corrected certificate
        ):
            setattr(new, field, getattr(old, field))
        new.save()
        old.superseded_by = new
        old.save(update_fields=["superseded_by"])
        _audit(certificate=new, action=AuditAction.REISSUED, actor=actor, note=note, related=old)
        _enqueue_render(new)
    return new


def certificate_revoke(
    *, certificate: Certificate, actor: User, reason: str, note: str = ""
) -> Certificate:
    if reason not in RevocationReason.values:
        raise CertificateActionRefused(_("Choose a reason for the revocation."))
    with transaction.atomic():
        locked = Certificate.objects.select_for_update().get(pk=certificate.pk)
        if locked.revoked_at:
            raise CertificateActionRefused(_("This certificate is already revoked."))
        locked.revoked_at = timezone.now()
        locked.revocation_reason = reason
        locked.revocation_note = note.strip()
        locked.save(update_fields=["revoked_at", "revocation_reason", "revocation_note"])
        _audit(
            certificate=locked,
            action=AuditAction.REVOKED,
            actor=actor,
            reason=reason,
            note=locked.revocation_note,
        )
    return locked


def certificate_reminders_send(*, today: date | None = None) -> int:
    """E-mail holders whose certificates expire in 60 and in 7 days, once per threshold."""
    today = today or timezone.localdate()
    horizon = today.toordinal() + max(REMINDER_THRESHOLDS)
    # A holder who has already recertified (a later certificate for the course) is not nagged.
    renewed = Certificate.objects.filter(
        user=OuterRef("user"),
        course=OuterRef("course"),
        issued_at__gt=OuterRef("issued_at"),
        revoked_at__isnull=True,
        superseded_at__isnull=True,
    )
    candidates = (
        Certificate.objects.filter(
            revoked_at__isnull=True,
            superseded_at__isnull=True,
            expires_on__gte=today,
            expires_on__lte=date.fromordinal(horizon),
            user__is_active=True,
        )
        .exclude(Exists(renewed))
        .select_related("user")
    )
    sent = 0
    for certificate in candidates:
        threshold = reminder_due(certificate.expires_on, today)
        if threshold is None:
            continue
        try:
            with transaction.atomic():
                # The row is written first: a second run (or a parallel one) finds it and skips.
                CertificateReminder.objects.create(certificate=certificate, days_before=threshold)
                _send_reminder(certificate, threshold)
        except IntegrityError:
            continue
        except OSError:
            log.exception("Could not send the reminder for certificate %s", certificate.pk)
            continue  # the row rolled back: tomorrow's run tries again
        sent += 1
    return sent


def _send_reminder(certificate: Certificate, threshold: int) -> None:
    context = {
        "certificate": certificate,
        "days": threshold,
        "site_url": settings.SITE_URL.rstrip("/"),
    }
    send_mail(
        subject=_("Your certificate for “%(course)s” expires soon")
        % {"course": certificate.course_title},
        message=render_to_string("learners/certificates/email/certificate_reminder.txt", context),
        from_email=None,
        recipient_list=[certificate.user.email],
    )


def certificate_public_details_set(
    *, holder: User, certificate: Certificate, public: bool
) -> Certificate:
    """The holder chooses whether the verification page shows the score and a revocation
    reason. Only the holder: anyone else gets CertificateActionRefused."""
    if certificate.user_id != holder.pk:
        raise CertificateActionRefused(_("Only the holder can change this."))
    with transaction.atomic():
        Certificate.objects.filter(pk=certificate.pk).update(public_details=public)
        learner_pages_changed(user_ids=[certificate.user_id])  # an update sends no signal
    certificate.public_details = public
    return certificate
