"""Administrators configure identity providers and claim rules in the Wagtail admin."""

import pytest
from allauth.socialaccount.models import SocialApp

from learners.models import SingleSignOnRule
from tests.factories import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


def test_an_administrator_adds_an_oidc_provider_and_a_rule(admin_client):
    assert admin_client.get("/admin/sso_providers/").status_code == 200
    form = admin_client.get("/admin/sso_providers/new/").content.decode()
    assert 'value="openid_connect"' in form and 'value="saml"' in form
    assert 'value="google"' not in form  # only the two protocols the platform supports
    response = admin_client.post(
        "/admin/sso_providers/new/",
        {
            "provider": "openid_connect",
            "provider_id": "portesmer",
            "name": "Port Esmer ID",
            "client_id": "capacitas",
            "secret": "s",
            "settings": '{"server_url": "https://id.portesmer.example"}',
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    app = SocialApp.objects.get(provider_id="portesmer")
    assert app.settings == {"server_url": "https://id.portesmer.example"}

    city = OrganisationFactory()
    assert admin_client.get("/admin/sso_rules/new/").status_code == 200
    response = admin_client.post(
        "/admin/sso_rules/new/",
        {
            "provider_id": "portesmer",
            "organisation_claim": "organisation",
            "claim_value": "PE",
            "organisation": city.pk,
            "department_claim": "department",
        },
    )
    assert response.status_code == 302
    assert SingleSignOnRule.objects.get().organisation == city


def test_people_without_admin_rights_cannot_configure_sso(client):
    client.force_login(UserFactory(is_staff=True))
    assert client.get("/admin/sso_providers/").status_code in (302, 403)
    assert client.get("/admin/sso_rules/").status_code in (302, 403)


def test_the_login_page_offers_each_configured_provider(client):
    SocialApp.objects.create(
        provider="openid_connect",
        provider_id="portesmer",
        name="Port Esmer ID",
        client_id="c",
        secret="s",
        settings={"server_url": "https://id.portesmer.example"},
    )
    page = client.get("/en/accounts/login/").content.decode()
    assert "Port Esmer ID" in page
    assert "/accounts/oidc/portesmer/login/" in page
