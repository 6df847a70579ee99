"""Keep assignment membership current when people join, and place verified people by domain."""

from allauth.account.signals import email_confirmed
from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from learners.accounts.models import HROfficerRole, User
from learners.accounts.services import organisation_join_by_email_domain

MEMBERSHIP_FIELDS = {"organisation", "department", "is_active"}


@receiver(post_save, sender=User, dispatch_uid="hr_assignment_membership")
def _sync_assignments_on_join(sender, instance: User, created: bool, update_fields=None, **kw):
    # Saves that cannot change membership (last_login, password) cost nothing.
    if update_fields is not None and not MEMBERSHIP_FIELDS & set(update_fields):
        return
    if kw.get("raw"):
        return
    from learners.hr.services import assignment_memberships_sync

    assignment_memberships_sync(user=instance)


@receiver(email_confirmed, dispatch_uid="hr_join_by_email_domain")
def _join_by_email_domain(sender, request=None, email_address=None, **kwargs):
    if email_address is None:
        return
    from learners.hr.services import assignment_memberships_sync

    user = email_address.user
    # Joining by domain is an accounts matter; the assignments that come with it are HR's.
    if organisation_join_by_email_domain(user=user, email=email_address.email) is not None:
        assignment_memberships_sync(user=user)


NAV_CACHE_SECONDS = 300


def nav_cache_key(user_id: int) -> str:
    return f"hr-nav:{user_id}"


@receiver([post_save, post_delete], sender=HROfficerRole, dispatch_uid="hr_nav_cache")
def _forget_nav(sender, instance: HROfficerRole, **kwargs):
    # The "HR" link in the navigation is cached per person; a role change shows at once.
    cache.delete(nav_cache_key(instance.user_id))
