"""Background work of credentials (django-tasks; immediate in dev and tests)."""

import logging

from django_tasks import task

log = logging.getLogger(__name__)


@task()
def credential_issue_task(certificate_id: int) -> bool:
    """Sign the credential of a certificate; False when no signing key is configured (the
    certificate itself is unaffected, and `credentials_backfill` issues it later)."""
    from learners.certificates.models import Certificate
    from learners.credentials.keys import SigningKeyMissing
    from learners.credentials.services import credential_issue

    certificate = Certificate.objects.filter(pk=certificate_id).first()
    if certificate is None:
        return False
    try:
        _credential, created = credential_issue(certificate=certificate)
    except SigningKeyMissing:
        log.warning("No signing key: certificate %s has no credential yet", certificate_id)
        return False
    return created


@task()
def status_list_publish_task(number: int) -> bool:
    from learners.credentials.keys import SigningKeyMissing
    from learners.credentials.services import status_list_publish

    try:
        status_list_publish(number=number)
    except SigningKeyMissing:
        log.warning("No credential signing key: status list %s not re-published", number)
        return False
    return True
