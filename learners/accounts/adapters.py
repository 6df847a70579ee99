"""allauth adapter: sign-up, e-mail and login behaviour for `learners.User`."""

from types import SimpleNamespace
from urllib.parse import urlparse

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings


class AccountAdapter(DefaultAccountAdapter):
    def populate_username(self, request, user):
        # E-mail is the login; there is no username to fill in.
        return None

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        # Without django.contrib.sites allauth would greet people with the request's host name
        # ("Hello from 127.0.0.1:8000!"); sign e-mails with the platform's name instead.
        site = SimpleNamespace(
            name=settings.WAGTAIL_SITE_NAME,
            domain=urlparse(settings.SITE_URL).netloc or settings.WAGTAIL_SITE_NAME,
        )
        super().send_mail(template_prefix, email, {"current_site": site, **context})
