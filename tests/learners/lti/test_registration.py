"""Dynamic registration (the platform's side is test glue: lti1p3platform has none), then a
launch through the real platform with the registration it produced; the Canvas JSON."""

from io import StringIO

import pytest
from django.core.management import call_command
from lti_tool.models import LtiDeployment, LtiRegistration

from learners.lti.registration import registration_token_make
from tests.factories import make_course
from tests.learners.lti.conftest import launch, relative

pytestmark = pytest.mark.django_db


def _registration_url() -> str:
    out = StringIO()
    call_command("lti_registration_url", stdout=out)
    return out.getvalue().strip()


def test_dynamic_registration_then_launch(client, platform):
    url = _registration_url()
    assert url.startswith("http://testserver/lti/register/")
    response = client.get(
        relative(url),
        {
            "openid_configuration": f"{platform.issuer}/.well-known/openid-configuration",
            "registration_token": "reg-token-1",
        },
    )
    assert response.status_code == 200, response.content[:500]
    assert "Capacitas is registered" in response.content.decode()
    assert platform.issuer in response["Content-Security-Policy"]
    [sent] = platform.dynamic_registrations
    assert sent["authorization"] == "Bearer reg-token-1"
    body = sent["body"]
    assert body["initiate_login_uri"] == "http://testserver/lti/login/"
    assert body["redirect_uris"] == ["http://testserver/lti/launch/"]
    assert body["jwks_uri"] == "http://testserver/lti/jwks.json"
    assert "https://purl.imsglobal.org/spec/lti-ags/scope/score" in body["scope"].split()
    registration = LtiRegistration.objects.get(issuer=platform.issuer)
    assert registration.client_id == platform.client_id
    assert registration.keyset_url == platform.keyset_url
    assert LtiDeployment.objects.get(registration=registration).is_active
    # The platform now launches with what it registered.
    platform.trust_tool_keys(client.get("/lti/jwks.json").json())
    tree = make_course()
    launched, _ = launch(client, platform, user_id="dr-user", page_id=tree.course.pk)
    assert launched.status_code == 302
    # The address is single-use.
    again = client.get(
        relative(url),
        {"openid_configuration": f"{platform.issuer}/.well-known/openid-configuration"},
    )
    assert again.status_code == 403


def test_dynamic_registration_refuses_a_forged_address(client, platform):
    response = client.get(
        "/lti/register/forged:token/",
        {"openid_configuration": f"{platform.issuer}/.well-known/openid-configuration"},
    )
    assert response.status_code == 403
    assert not LtiRegistration.objects.exists()


def test_dynamic_registration_needs_the_configuration_address(client):
    response = client.get(f"/lti/register/{registration_token_make()}/")
    assert response.status_code == 400


def test_dynamic_registration_refuses_a_configuration_from_another_site(client, platform):
    response = client.get(
        f"/lti/register/{registration_token_make()}/",
        {
            "openid_configuration": f"http://localhost:{platform.port}/.well-known/openid-configuration"
        },
    )
    assert response.status_code == 400
    assert "issuer" in response.content.decode()
    assert not LtiRegistration.objects.exists()


def test_dynamic_registration_with_an_unreachable_platform_is_a_502(client):
    response = client.get(
        f"/lti/register/{registration_token_make()}/",
        {"openid_configuration": "http://127.0.0.1:9/.well-known/openid-configuration"},
    )
    assert response.status_code == 502


def test_canvas_json_configuration(client):
    config = client.get("/lti/canvas.json").json()
    assert config["oidc_initiation_url"] == "http://testserver/lti/login/"
    assert config["target_link_uri"] == "http://testserver/lti/launch/"
    assert config["public_jwk_url"] == "http://testserver/lti/jwks.json"
    placements = config["extensions"][0]["settings"]["placements"]
    assert {p["message_type"] for p in placements} == {"LtiDeepLinkingRequest"}
