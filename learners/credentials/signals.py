"""Receivers: a new certificate gets its credential; a withdrawn one flips its status bit."""

from __future__ import annotations

from django.db import transaction

from learners.certificates.models import Certificate
from learners.credentials import bitstring
from learners.credentials.models import IssuedCredential
from learners.credentials.tasks import credential_issue_task, status_list_publish_task


def on_certificate_saved(sender, instance: Certificate, created: bool, **kwargs) -> None:
    """Issue the credential of a new certificate; re-publish its list when it is withdrawn."""
    if kwargs.get("raw"):
        return
    update_fields = kwargs.get("update_fields") or ()
    if created:
        pk = instance.pk
        transaction.on_commit(lambda: _issue_quietly(pk))
    elif {"revoked_at", "superseded_at"} & set(update_fields) or not update_fields:
        credential = IssuedCredential.objects.filter(certificate_id=instance.pk).first()
        if credential is not None:
            number = credential.status_index // bitstring.LIST_BITS
            transaction.on_commit(lambda: _publish_quietly(number))


def _issue_quietly(certificate_id: int) -> None:
    credential_issue_task.enqueue(certificate_id)


def _publish_quietly(number: int) -> None:
    status_list_publish_task.enqueue(number)
