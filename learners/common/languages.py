"""The languages the platform speaks: settings.LANGUAGES, nothing hard-coded.

Adding French is a line in LANGUAGES (and its catalogue): the profile setting, the certificate
PDFs and their download links all read the list from here.
"""

from __future__ import annotations

from django.conf import settings
from django.utils import translation
from django.utils.text import capfirst


def language_codes() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


def supported_language(code: str | None) -> str | None:
    """`code` as one of LANGUAGES ("es-AR" → "es"), or None when the platform lacks it."""
    if not code:
        return None
    try:
        return translation.get_supported_language_variant(code)
    except LookupError:
        return None


def active_language() -> str:
    """The language of the current request (LocaleMiddleware), as one of LANGUAGES."""
    return supported_language(translation.get_language()) or settings.LANGUAGE_CODE


def language_name(code: str) -> str:
    """The language's own name, capitalised as a choice in a list ("Español")."""
    return capfirst(translation.get_language_info(code)["name_local"])
