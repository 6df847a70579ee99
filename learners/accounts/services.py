"""Writes about people and their organisations."""

from __future__ import annotations

from learners.accounts.models import Organisation, User


def organisation_join_by_email_domain(*, user: User, email: str) -> Organisation | None:
    """After a verified address, place a person without an organisation in the one whose
    e-mail domain matches. Never moves someone who already has an organisation."""
    if user.organisation_id is not None or "@" not in email:
        return None
    domain = email.rsplit("@", 1)[1].strip().lower()
    organisation = Organisation.objects.filter(email_domain__iexact=domain).first()
    if organisation is None:
        return None
    updated = User.objects.filter(pk=user.pk, organisation__isnull=True).update(
        organisation=organisation
    )
    if updated:
        user.organisation = organisation
    return organisation if updated else None
