"""Who an HR officer may see. The HR area replaces this with the organisation-scope rules."""

from learners.models import User


def user_in_hr_scope(viewer: User, person: User) -> bool:
    """True when `viewer` is an HR officer whose scope covers `person`'s organisation."""
    return False
