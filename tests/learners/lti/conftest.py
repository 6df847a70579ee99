import pytest
import requests
from lti_tool.models import LtiDeployment, LtiRegistration

from tests.learners.lti.platform import MISSING, Platform, platform_available, platform_required


def start_platform(**options) -> Platform:
    """A started Platform(**options); skips without lti1p3platform, or fails when
    LTI_PLATFORM_REQUIRED is set (CI). The browser journeys use it too."""
    if not platform_available():
        if platform_required():
            pytest.fail(MISSING + " LTI_PLATFORM_REQUIRED is set: CI must run it.")
        pytest.skip(MISSING)
    return Platform(**options).start()


@pytest.fixture
def platform():
    """A real LTI 1.3 platform (lti1p3platform) on a free loopback port."""
    running = start_platform()
    yield running
    running.stop()


@pytest.fixture
def rogue_platform():
    """Another platform that no one registered with Capacitas."""
    running = start_platform()
    yield running
    running.stop()


def register(platform: Platform, client) -> LtiRegistration:
    """A manual registration (what an administrator enters) and the platform trusting our keys."""
    registration = LtiRegistration.objects.create(
        name="Loopback platform",
        issuer=platform.issuer,
        client_id=platform.client_id,
        auth_url=platform.auth_url,
        token_url=platform.token_url,
        keyset_url=platform.keyset_url,
    )
    LtiDeployment.objects.create(
        registration=registration, deployment_id=platform.deployment_id, is_active=True
    )
    platform.trust_tool_keys(client.get("/lti/jwks.json").json())
    return registration


@pytest.fixture
def registration(db, platform, client):
    return register(platform, client)


def relative(url: str) -> str:
    """The tool's part of an absolute http://testserver URL, for the test client."""
    return url.removeprefix("http://testserver")


def authenticate(client, login_url: str) -> dict:
    """What the browser does from the platform's login initiation to the launch form: the tool's
    cookie check page, its redirect to the platform's auth endpoint, the platform's answer."""
    page = client.get(relative(login_url))
    assert page.status_code == 200, page.content[:500]
    assert b"data-lti-cookie-check" in page.content
    redirect = client.get(relative(login_url) + "&lti1p3_new_window=1")
    assert redirect.status_code == 302, redirect.content[:500]
    answer = requests.get(redirect["Location"], timeout=10)
    assert answer.status_code == 200, answer.text
    return answer.json()


def launch(client, platform: Platform, **kwargs):
    """A whole launch through the platform: login initiation, auth, the launch POST."""
    form = authenticate(client, platform.login_url(**kwargs))
    return client.post(
        relative(form["launch_url"]), {"id_token": form["id_token"], "state": form["state"]}
    ), form
