"""allauth adapter: sign-up, e-mail and login behaviour for `learners.User`."""

from types import SimpleNamespace
from urllib.parse import urlparse

from allauth.account.adapter import DefaultAccountAdapter
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
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


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def populate_user(self, request, sociallogin, data):
        # The default fills first_name/last_name, which are read-only properties on our user.
        user = sociallogin.user
        user.email = (data.get("email") or "").strip().lower()
        name = data.get("name") or " ".join(
            part for part in (data.get("first_name"), data.get("last_name")) if part
        )
        user.full_name = (name or user.email.split("@")[0]).strip()[:200]
        return user


def sso_claims(extra_data: dict) -> dict:
    """The claims of a social login: OpenID Connect keeps the ID token and the userinfo answer
    apart (userinfo wins, it is fresher); SAML stores the attributes themselves."""
    if "userinfo" in extra_data or "id_token" in extra_data:
        return {**(extra_data.get("id_token") or {}), **(extra_data.get("userinfo") or {})}
    return dict(extra_data)
