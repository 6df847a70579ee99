"""Where a form may send the person next: a path on this site, nothing else."""

from __future__ import annotations

import unicodedata

from django.utils.http import url_has_allowed_host_and_scheme


def safe_next_url(request, target: str | None, fallback: str) -> str:
    """`target` if it is a path on this site, else `fallback`.

    A path only: redirect() reads a bare word ("0", "home") as a URL pattern name and fails;
    a scheme-relative "//host" or a backslash leaves the site in some browsers; whitespace and
    control characters (a newline) cannot go into a Location header.
    """
    target = target or ""
    if (
        target.startswith("/")
        and not target.startswith("//")
        and "\\" not in target
        and not any(char.isspace() or unicodedata.category(char)[0] == "C" for char in target)
        and url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
    ):
        return target
    return fallback
