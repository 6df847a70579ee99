"""Credential downloads and the issuer's public documents, for every kind of visitor."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from django.urls import reverse
from openbadgeslib.ob3.verifier import OB3Verifier

from learners.certificates.services import certificate_revoke
from learners.credentials.models import IssuedCredential
from learners.models import RevocationReason
from tests.factories import HROfficerRoleFactory, UserFactory

pytestmark = pytest.mark.django_db

HOLDER_URLS = ["credential_holder_json", "credential_holder_jwt", "credential_holder_badge"]


@pytest.mark.parametrize("name", HOLDER_URLS)
def test_holder_downloads(certificate, learner_client, name):
    response = learner_client.get(reverse(name, args=[certificate.display_code]))
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    token = IssuedCredential.objects.get(certificate=certificate).jwt
    if name == "credential_holder_jwt":
        assert response["Content-Type"] == "application/vc+jwt"
        assert response.content.decode() == token
    elif name == "credential_holder_badge":
        assert response["Content-Type"] == "image/svg+xml"
        assert OB3Verifier.extract_token_from_svg(response.content) == token
    else:
        assert json.loads(response.content)["type"][1] == "OpenBadgeCredential"


@pytest.mark.parametrize("name", HOLDER_URLS)
def test_others_get_404(certificate, client, other_learner, name):
    client.force_login(other_learner)
    assert client.get(reverse(name, args=[certificate.display_code])).status_code == 404


@pytest.mark.parametrize("name", HOLDER_URLS)
def test_hr_in_scope_and_admin_do_not_get_the_holders_credential(certificate, client, name):
    # The credential is the holder's to carry; HR and administrators have the PDF and the
    # verification page.
    officer = UserFactory()
    HROfficerRoleFactory(user=officer, organisation=certificate.user.organisation)
    for viewer in (officer, UserFactory(is_superuser=True, is_staff=True)):
        client.force_login(viewer)
        assert client.get(reverse(name, args=[certificate.display_code])).status_code == 404


@pytest.mark.parametrize("name", HOLDER_URLS)
def test_anonymous_is_sent_to_sign_in(certificate, client, name):
    response = client.get(reverse(name, args=[certificate.display_code]))
    assert response.status_code == 302 and "/accounts/login/" in response.url


@pytest.mark.parametrize("name", HOLDER_URLS + ["credential_public_json", "credential_public_jwt"])
def test_unknown_or_malformed_codes_are_404(learner_client, name, db):
    for code in ("0000-0000-0000-0000-0000-0000-0000", "not a code", "x" * 500):
        assert learner_client.get(reverse(name, args=[code])).status_code == 404


def test_public_json_and_jwt_for_anyone_with_the_code(certificate, client):
    response = client.get(reverse("credential_public_json", args=[certificate.display_code]))
    assert response.status_code == 200
    assert json.loads(response.content)["credentialSubject"]["type"] == ["AchievementSubject"]
    assert certificate.user.email.encode() not in response.content
    response = client.get(reverse("credential_public_jwt", args=[certificate.display_code]))
    assert response.content.decode() == IssuedCredential.objects.get(certificate=certificate).jwt


def test_verify_page_shows_the_credential_status(
    certificate, client, django_capture_on_commit_callbacks
):
    body = client.get(certificate.get_verify_url()).content.decode()
    assert "Open Badges credential" in body
    assert reverse("credential_public_json", args=[certificate.display_code]) in body
    assert 'badge-ok">Valid' in body.split('id="credential-heading"')[1]
    with django_capture_on_commit_callbacks(execute=True):
        certificate_revoke(
            certificate=certificate, actor=UserFactory(), reason=RevocationReason.ERROR
        )
    body = client.get(certificate.get_verify_url()).content.decode()
    assert 'badge-danger">Revoked' in body.split('id="credential-heading"')[1]


def test_dashboard_offers_the_downloads(certificate, learner_client):
    body = learner_client.get(reverse("learn_dashboard")).content.decode()
    for name in HOLDER_URLS:
        assert reverse(name, args=[certificate.display_code]) in body


def test_issuer_profile_and_key_set_are_public(certificate, client):
    profile = client.get("/credentials/issuer")
    assert profile.status_code == 200
    assert json.loads(profile.content)["id"] == "http://testserver/credentials/issuer"
    keys = client.get("/.well-known/jwks.json")
    assert keys.status_code == 200 and keys["Access-Control-Allow-Origin"] == "*"
    (key,) = json.loads(keys.content)["keys"]
    assert key["kty"] == "OKP" and key["crv"] == "Ed25519" and "d" not in key
    assert key["kid"] == IssuedCredential.objects.get(certificate=certificate).kid


def test_status_list_url(certificate, client):
    response = client.get("/credentials/status/0")
    assert response.status_code == 200 and response["Content-Type"] == "application/vc+jwt"
    assert client.get("/credentials/status/1").status_code == 404
    assert client.get("/credentials/status/99999999999999999999999", follow=True).status_code == 404
    assert client.post("/credentials/status/0").status_code == 405


def test_my_data_export_and_erasure(certificate, learner):
    from learners.privacy.exports import personal_data_files
    from learners.privacy.services import account_erase

    names = {f.name: f.content for f in personal_data_files(learner)}
    jwt_name = f"credentials/credential-{certificate.display_code}.jwt"
    assert names[jwt_name].decode() == IssuedCredential.objects.get(certificate=certificate).jwt
    account_erase(user=learner)
    credential = IssuedCredential.objects.get(certificate=certificate)
    assert credential.jwt == ""  # the salted e-mail hash is gone with the account
    client = Client()
    public = reverse("credential_public_json", args=[certificate.display_code])
    assert client.get(public).status_code == 404
    body = client.get(certificate.get_verify_url()).content.decode()
    assert "Open Badges credential" in body  # its status is still shown
    assert client.get("/credentials/status/0").status_code == 200
