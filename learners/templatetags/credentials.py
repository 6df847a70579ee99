"""The Open Badges credential of certificates, for pages of a lower room (certificates)."""

from django import template

from learners.credentials.models import IssuedCredential
from learners.credentials.selectors import credential_of, credential_status

register = template.Library()


@register.simple_tag
def certificate_credential(certificate):
    """The credential of one certificate with its status, or None (one query)."""
    return credential_of(certificate)


@register.simple_tag
def credentials_of_rows(rows):
    """{certificate id: credential} for a list of certificate rows (one query)."""
    ids = [row.certificate.pk for row in rows]
    if not ids:
        return {}
    return {c.certificate_id: c for c in IssuedCredential.objects.filter(certificate_id__in=ids)}


@register.filter
def credential_in(certificate, credentials):
    """`certificate|credential_in:credentials`: its credential from credentials_of_rows."""
    return credentials.get(certificate.pk)


@register.filter
def credential_status_of(certificate):
    return credential_status(certificate)
