"""Single sign-on end to end against a real OpenID Connect provider no one here wrote.

The fixture starts panva's `oidc-provider` (npm, installed into .oidc/ by `make oidc`) on a free
loopback port with `tests/sso/oidc_provider.mjs`; a `requests` session then signs in exactly as
a browser would: Capacitas's allauth login → the provider's login and consent screens → back
to allauth's callback, which fetches the token and the userinfo from the running provider.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import time
from html import unescape
from pathlib import Path
from urllib.parse import urljoin

import pytest
import requests
from allauth.socialaccount.models import SocialAccount, SocialApp
from django.conf import settings

from learners.models import MembershipProof, SingleSignOnRule, User
from tests.factories import DepartmentFactory, OrganisationFactory

ROOT = Path(settings.BASE_DIR)
MODULE = ROOT / ".oidc/node_modules/oidc-provider/lib/index.js"
SCRIPT = Path(__file__).with_name("oidc_provider.mjs")
NODE = shutil.which("node")
MISSING = (
    "OIDC end-to-end test: SKIPPED — needs node and oidc-provider in .oidc/ "
    "(`make oidc` installs it with npm)."
)
CLIENT_ID = "capacitas-tests"
CLIENT_SECRET = "a-client-secret-for-loopback-tests-only"

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        (NODE is None or not MODULE.is_file()) and not os.environ.get("OIDC_REQUIRED"),
        reason=MISSING,
    ),
]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def oidc_issuer(live_server):
    if NODE is None or not MODULE.is_file():  # only when OIDC_REQUIRED is set: never skip there
        pytest.fail(MISSING)
    port = _free_port()
    env = {
        **os.environ,
        "OIDC_PORT": str(port),
        "OIDC_REDIRECT_URI": f"{live_server.url}/accounts/oidc/portesmer/login/callback/",
        "OIDC_CLIENT_ID": CLIENT_ID,
        "OIDC_CLIENT_SECRET": CLIENT_SECRET,
        "OIDC_PROVIDER_MODULE": str(MODULE),
    }
    process = subprocess.Popen(  # noqa: S603  (our script, our node)
        [NODE, str(SCRIPT)], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    try:
        deadline = time.monotonic() + 30
        line = ""
        while time.monotonic() < deadline and not line.startswith("READY"):
            line = process.stdout.readline()
            if not line and process.poll() is not None:
                pytest.fail(f"oidc-provider did not start: {process.stderr.read()}")
        assert line.startswith("READY"), "oidc-provider did not report READY within 30 s"
        yield line.split()[1]
    finally:
        process.terminate()
        process.wait(timeout=10)


def _form(html: str) -> tuple[str, dict[str, str]]:
    """The first form's action and its hidden fields."""
    action = unescape(re.search(r'<form[^>]*action="([^"]*)"', html).group(1))
    hidden = dict(
        re.findall(r'<input[^>]*type="hidden"[^>]*name="([^"]+)"[^>]*value="([^"]*)"', html)
    )
    return action, {k: unescape(v) for k, v in hidden.items()}


def test_oidc_login_creates_a_verified_member_in_the_mapped_department(live_server, oidc_issuer):
    city = OrganisationFactory(name="Municipality of Port Esmer")
    department = DepartmentFactory(organisation=city, name="International Relations")
    DepartmentFactory(organisation=city, name="Culture")
    SocialApp.objects.create(
        provider="openid_connect",
        provider_id="portesmer",
        name="Port Esmer ID",
        client_id=CLIENT_ID,
        secret=CLIENT_SECRET,
        settings={
            "server_url": oidc_issuer,
            "oauth_pkce_enabled": True,
            "token_auth_method": "client_secret_post",
        },
    )
    SingleSignOnRule.objects.create(
        provider_id="portesmer",
        organisation_claim="organisation",
        claim_value="portesmer",  # compared without regard to case
        organisation=city,
        department_claim="department",
    )
    browser = requests.Session()

    # Capacitas: allauth asks to confirm (a GET never starts a login), the POST goes to the IdP.
    login_url = f"{live_server.url}/accounts/oidc/portesmer/login/"
    page = browser.get(login_url, timeout=20)
    assert page.status_code == 200
    action, hidden = _form(page.text)
    page = browser.post(login_url, data=hidden, timeout=20, headers={"Referer": login_url})
    assert page.url.startswith(oidc_issuer), page.url

    # The identity provider: its own sign-in screen, then its consent screen.
    action, hidden = _form(page.text)
    page = browser.post(
        urljoin(page.url, action),
        data={**hidden, "login": "ines", "password": "any"},
        timeout=20,
    )
    assert page.url.startswith(oidc_issuer), page.url
    action, hidden = _form(page.text)
    page = browser.post(urljoin(page.url, action), data=hidden, timeout=20)

    # Back at Capacitas: signed in, on My learning.
    assert page.status_code == 200, page.text[:500]
    assert page.url == f"{live_server.url}/en/learn/", page.url
    user = User.objects.get(email="ines.idp@portesmer.example")
    assert user.full_name == "Inès Identity"
    assert (user.organisation, user.department) == (city, department)
    assert user.membership_proof == MembershipProof.SSO
    account = SocialAccount.objects.get(user=user)
    assert (account.provider, account.uid) == ("portesmer", "ines")  # the provider's subject
    assert user.emailaddress_set.get().verified  # the provider vouched for the address
