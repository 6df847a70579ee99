"""Privacy writes: data exports, account erasure and the retention purge (docs/privacy.md)."""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from allauth.account.models import EmailAddress
from django.apps import apps
from django.conf import settings
from django.core import signing
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from learners.accounts.models import HROfficerRole, Invitation, User
from learners.attempts.models import QuizAttempt
from learners.certificates.models import Certificate, CertificatePdf
from learners.common.page_state import learner_pages_changed
from learners.privacy.contributors import privacy_contributors
from learners.privacy.models import AccountErasure, DataExport, ExportStatus
from learners.privacy.tasks import data_export_build_task

EXPORT_LINK_SALT = "learners.privacy.export"
ERASED_EMAIL_DOMAIN = "erased.invalid"  # RFC 2606: can never receive mail


# Each export reads everything about the person and renders their certificates: a few an hour
# is all anyone needs, and the limit keeps repeated clicks from loading the workers.
EXPORTS_PER_HOUR = 3


class ExportRefused(Exception):
    """Raised when the person asked for too many exports within the last hour."""


class ErasureRefused(Exception):
    """Raised when an account cannot be erased (already erased, or the last administrator)."""


# --- Data export ---------------------------------------------------------------------------------


def export_link_token(export: DataExport) -> str:
    """A signed token for the download link; it stops working after PRIVACY_EXPORT_LINK_HOURS."""
    return signing.TimestampSigner(salt=EXPORT_LINK_SALT).sign(str(export.public_id))


def export_from_token(token: str, *, user: User) -> DataExport | None:
    """The ready export the token names, if it is still valid and belongs to `user`."""
    try:
        public_id = signing.TimestampSigner(salt=EXPORT_LINK_SALT).unsign(
            token, max_age=timedelta(hours=settings.PRIVACY_EXPORT_LINK_HOURS)
        )
    except signing.BadSignature:  # SignatureExpired is a BadSignature too
        return None
    return (
        DataExport.objects.filter(public_id=public_id, user=user, status=ExportStatus.READY)
        .exclude(file="")
        .first()
    )


def data_export_request(*, user: User) -> tuple[DataExport, bool]:
    """Queue a new export unless one is already being prepared; True when one was queued."""
    with transaction.atomic():
        # Lock the person's row so two clicks queue one export.
        User.objects.select_for_update().filter(pk=user.pk).first()
        pending = DataExport.objects.filter(user=user, status=ExportStatus.PENDING).first()
        if pending is not None:
            return pending, False
        recent = DataExport.objects.filter(
            user=user, requested_at__gte=timezone.now() - timedelta(hours=1)
        ).count()
        if recent >= EXPORTS_PER_HOUR:
            raise ExportRefused(
                _(
                    "You have asked for several copies within the last hour. Use the latest "
                    "one, or try again later."
                )
            )
        export = DataExport.objects.create(user=user)
        transaction.on_commit(lambda: data_export_build_task.enqueue(export.pk))
    return export, True


# --- Erasure -------------------------------------------------------------------------------------


def _pseudonym() -> str:
    # Readable for HR ("Erased learner 7K2Q-M9XD"), unique enough for a list, and not derived
    # from anything about the person.
    token = secrets.token_hex(4).upper()
    return _("Erased learner %(code)s") % {"code": f"{token[:4]}-{token[4:]}"}


def account_erase(*, user: User, erased_by: User | None = None, now: datetime | None = None):
    """Erase a person's personal data now; keep their learning records under a pseudonym.

    The user row stays (with a random pseudonym, no e-mail, no password, inactive) so that
    enrolments, attempts, certificates, the activity log and HR figures keep pointing at it
    and every count stays the same. See docs/privacy.md for what goes and what stays.
    """
    now = now or timezone.now()
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=user.pk)
        # Read before the address is replaced by the pseudonym below.
        addresses = [
            locked.email,
            *EmailAddress.objects.filter(user=locked).values_list("email", flat=True),
        ]
        if AccountErasure.objects.filter(user=locked).exists():
            raise ErasureRefused(_("This account has already been erased."))
        if (
            locked.is_superuser
            and not User.objects.filter(is_superuser=True, is_active=True)
            .exclude(pk=locked.pk)
            .exists()
        ):
            raise ErasureRefused(
                _("This is the last active administrator; appoint another one first.")
            )
        token = secrets.token_hex(8)
        locked.full_name = _pseudonym()
        locked.email = f"erased-{token}@{ERASED_EMAIL_DOMAIN}"
        locked.job_title = ""
        locked.is_active = False
        locked.is_staff = False
        locked.is_superuser = False
        # A changed password hash also ends every session the person still had open.
        locked.set_unusable_password()
        locked.save()
        locked.groups.clear()
        locked.user_permissions.clear()
        # Invitations hold a name and an address: those addressed to this person go too.
        Invitation.objects.filter(Q(accepted_by=locked) | Q(email__in=addresses)).delete()
        EmailAddress.objects.filter(user=locked).delete()
        if apps.is_installed("allauth.socialaccount"):
            from allauth.socialaccount.models import SocialAccount

            SocialAccount.objects.filter(user=locked).delete()
        HROfficerRole.objects.filter(user=locked).delete()
        _erase_free_text_answers(locked)
        _erase_certificate_names(locked)
        for contributor in privacy_contributors():
            if contributor.erase is not None:
                contributor.erase(user=locked)
        AccountErasure.objects.create(
            user=locked,
            erased_at=now,
            by_holder=erased_by is None or erased_by.pk == locked.pk,
            erased_by=None if erased_by is None or erased_by.pk == locked.pk else erased_by,
        )
        # Rows go too, so an export still queued finds nothing to build for the pseudonym.
        exports = list(DataExport.objects.filter(user=locked))
        files = [(export.file.storage, export.file.name) for export in exports if export.file]
        DataExport.objects.filter(user=locked).delete()
        transaction.on_commit(lambda: [storage.delete(name) for storage, name in files])
    user.refresh_from_db()
    return user


def _strip_free_text(attempt: QuizAttempt) -> bool:
    free_text = {q["id"] for q in attempt.snapshot if q.get("type") == "short_text"}
    if not free_text & set(attempt.answers):
        return False
    attempt.answers = {k: v for k, v in attempt.answers.items() if k not in free_text}
    return True


def _erase_free_text_answers(user: User) -> None:
    # Choices the person ticked are the course's own words; what they typed is theirs.
    for attempt in QuizAttempt.objects.filter(user=user).only("id", "snapshot", "answers"):
        if _strip_free_text(attempt):
            QuizAttempt.objects.filter(pk=attempt.pk).update(answers=attempt.answers)
    learner_pages_changed(user_ids=[user.pk])  # updates send no signal


def _erase_certificate_names(user: User) -> None:
    # The certificate stays verifiable by its code (course, dates, status); the name goes, and
    # with it the stored PDF that prints it. docs/privacy.md explains the choice.
    # Every language's PDF goes.
    Certificate.objects.filter(user=user).update(holder_name="")
    learner_pages_changed(user_ids=[user.pk])  # an update sends no signal
    stored = CertificatePdf.objects.filter(certificate__user=user)
    for row in stored:
        name = row.file.name
        storage = row.file.storage
        transaction.on_commit(lambda name=name, storage=storage: storage.delete(name))
    stored.delete()
