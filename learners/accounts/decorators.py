"""View guards about who a person is in their organisation."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied

from learners.accounts.selectors import is_hr_officer


def hr_officer_required(view):
    """Signed in (else the login page) and an HR officer or administrator (else 403)."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not is_hr_officer(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper
