"""What the credentials room gives to a learner's data export and takes away at erasure.

`privacy` (above this room) wraps these in its PrivacyContributor from LearnersConfig.ready().
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from learners.accounts.models import User
from learners.common.page_state import learner_pages_changed
from learners.credentials.models import IssuedCredential


def credentials_export_files(user: User) -> list[tuple[str, bytes, str]]:
    """(name inside the archive, content, description) for each of the learner's credentials."""
    files = []
    credentials = IssuedCredential.objects.filter(certificate__user=user).exclude(jwt="")
    for credential in credentials.select_related("certificate").order_by("issued_at", "pk"):
        code = credential.certificate.display_code
        files.append(
            (
                f"credentials/credential-{code}.jwt",
                credential.jwt.encode("ascii"),
                _(
                    "Your Open Badges 3.0 credential for “%(course)s”, signed (VC-JWT): "
                    "import it into a digital wallet."
                )
                % {"course": credential.certificate.course_title},
            )
        )
    return files


def credentials_erase(*, user: User) -> None:
    """Drop the stored credentials (they hold a salted hash of the e-mail address). Their
    status bits stay, so a copy the holder kept is still reported valid or revoked."""
    IssuedCredential.objects.filter(certificate__user=user).update(jwt="")
    learner_pages_changed(user_ids=[user.pk])  # an update sends no signal
