"""Single sign-on places people by the identity provider's claims at every login."""

from allauth.account.signals import user_logged_in
from django.dispatch import receiver

from learners.accounts.adapters import sso_claims
from learners.accounts.services import sso_membership_apply


@receiver(user_logged_in, dispatch_uid="accounts_sso_membership")
def _sso_membership(sender, request=None, user=None, sociallogin=None, **kwargs):
    # Every login, not only the first: a person the identity provider has moved to another
    # department (or organisation) is moved here too.
    if sociallogin is None or user is None:
        return
    sso_membership_apply(
        user=user,
        provider_id=sociallogin.account.provider,
        claims=sso_claims(sociallogin.account.extra_data or {}),
    )
