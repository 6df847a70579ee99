"""Who an HR officer may see: the organisations of their roles and every organisation beneath.

Every HR view, export and download starts from these functions, so scope is decided in one place.
"""

from __future__ import annotations

from collections import defaultdict

from django.db.models import QuerySet

from learners.accounts.models import (
    HROfficerRole,
    Invitation,
    MembershipRequest,
    Organisation,
    User,
)

_CACHE_ATTR = "_hr_scope_organisation_ids"


def _descendants(root_ids: set[int], children: dict[int | None, list[int]]) -> set[int]:
    seen: set[int] = set()
    stack = list(root_ids)
    while stack:
        current = stack.pop()
        if current in seen:
            continue  # a cycle in bad data must not loop forever
        seen.add(current)
        stack.extend(children.get(current, []))
    return seen


def hr_scope_organisation_ids(user: User) -> frozenset[int]:
    """Ids of the organisations `user` may track: empty for anyone who is not HR.

    Administrators (superusers) see every organisation. Two queries (roles, then all
    organisations' parents), descendants computed in Python; memoised on the user object so a
    request pays once.
    """
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return frozenset()
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is not None:
        return cached
    if user.is_superuser:
        scope = frozenset(Organisation.objects.values_list("id", flat=True))
    else:
        roots = set(
            HROfficerRole.objects.filter(user=user).values_list("organisation_id", flat=True)
        )
        if roots:
            children: dict[int | None, list[int]] = defaultdict(list)
            for org_id, parent_id in Organisation.objects.values_list("id", "parent_id"):
                children[parent_id].append(org_id)
            scope = frozenset(_descendants(roots, children))
        else:
            scope = frozenset()
    setattr(user, _CACHE_ATTR, scope)
    return scope


def is_hr_officer(user: User) -> bool:
    """May open /hr/ (an HR role somewhere, or an administrator)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return bool(hr_scope_organisation_ids(user))


def people_in_scope(viewer: User) -> QuerySet[User]:
    return User.objects.filter(organisation_id__in=hr_scope_organisation_ids(viewer))


def user_in_hr_scope(viewer: User, person: User) -> bool:
    """True when `viewer` is an HR officer whose scope covers `person`'s organisation."""
    if viewer.is_authenticated and viewer.is_superuser:
        return True
    return (
        person.organisation_id is not None
        and person.organisation_id in hr_scope_organisation_ids(viewer)
    )


# Membership requests ----------------------------------------------------------------------
# Pending members are outside every HR scope by construction: a self-declared organisation is a
# MembershipRequest, never `User.organisation`, until proven. HR sees only this queue of them.


def membership_requests_pending(viewer: User) -> QuerySet[MembershipRequest]:
    """Pending requests to join an organisation in `viewer`'s HR scope, oldest first."""
    return (
        MembershipRequest.objects.filter(
            status=MembershipRequest.Status.PENDING,
            organisation_id__in=hr_scope_organisation_ids(viewer),
        )
        .select_related("user", "user__organisation", "organisation", "department")
        .order_by("created_at", "pk")
    )


def membership_requests_pending_count(viewer: User) -> int:
    if not hr_scope_organisation_ids(viewer):
        return 0
    return membership_requests_pending(viewer).count()


def membership_request_pending_for(user: User) -> MembershipRequest | None:
    return (
        MembershipRequest.objects.filter(user=user, status=MembershipRequest.Status.PENDING)
        .select_related("organisation", "department")
        .first()
    )


def invitations_open(viewer: User) -> QuerySet[Invitation]:
    return Invitation.objects.filter(
        accepted_at__isnull=True, organisation_id__in=hr_scope_organisation_ids(viewer)
    ).select_related("organisation", "department")
