"""Wagtail discovers hooks in each app's `wagtail_hooks` module; each room keeps its own."""

from learners.accounts import wagtail_hooks as accounts_hooks
from learners.attempts import wagtail_hooks as attempts_hooks
from learners.certificates import wagtail_hooks as certificates_hooks
from learners.lti import wagtail_hooks as lti_hooks
from learners.privacy import wagtail_hooks as privacy_hooks
from learners.progress import admin_panels
from learners.progress import wagtail_hooks as progress_hooks
from learners.workbooks import wagtail_hooks as workbooks_hooks
from learners.xapi import wagtail_hooks as xapi_hooks

__all__ = [
    "accounts_hooks",
    "admin_panels",
    "attempts_hooks",
    "certificates_hooks",
    "lti_hooks",
    "privacy_hooks",
    "progress_hooks",
    "workbooks_hooks",
    "xapi_hooks",
]
