"""How identity provider claims become a verified membership: the rules, and SAML logins.

The SAML login goes through allauth's real ACS and finish views; only python3-saml's response
check (`build_auth`) is replaced by an object that answers with the IdP's attributes, the way
allauth's own SAML tests do (a signed assertion needs an IdP, which no test here runs).
"""

from unittest import mock

import pytest
from allauth.socialaccount.models import SocialAccount, SocialApp

from learners.accounts.adapters import sso_claims
from learners.accounts.services import membership_request_submit, sso_membership_apply
from learners.models import MembershipProof, MembershipRequest, SingleSignOnRule, User
from tests.factories import DepartmentFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def mapped(db):
    city = OrganisationFactory(name="Municipality of Port Esmer")
    region = OrganisationFactory(name="Region of Aurelia")
    planning = DepartmentFactory(organisation=city, name="Planning")
    culture = DepartmentFactory(organisation=city, name="Culture")
    SingleSignOnRule.objects.create(
        provider_id="idp", claim_value="city", organisation=city, department_claim="dept"
    )
    SingleSignOnRule.objects.create(provider_id="idp", claim_value="", organisation=region)
    return {"city": city, "region": region, "planning": planning, "culture": culture}


def test_an_exact_claim_value_wins_and_the_department_is_matched_by_name(mapped):
    person = UserFactory(organisation=None)
    placed = sso_membership_apply(
        user=person, provider_id="idp", claims={"organisation": "CITY", "dept": "planning"}
    )
    assert placed == mapped["city"]
    person.refresh_from_db()
    assert (person.organisation, person.department) == (mapped["city"], mapped["planning"])
    assert person.membership_proof == MembershipProof.SSO


def test_the_catch_all_rule_places_other_values_and_unknown_departments_stay_empty(mapped):
    person = UserFactory(organisation=None)
    sso_membership_apply(
        user=person, provider_id="idp", claims={"organisation": "elsewhere", "dept": "Planning"}
    )
    person.refresh_from_db()
    assert (person.organisation, person.department) == (mapped["region"], None)


def test_no_rule_for_the_provider_changes_nothing(mapped):
    person = UserFactory()
    before = person.organisation
    assert (
        sso_membership_apply(user=person, provider_id="other", claims={"organisation": "city"})
        is None
    )
    person.refresh_from_db()
    assert person.organisation == before


def test_a_later_login_follows_the_identity_provider_and_closes_the_request(mapped):
    person = UserFactory(organisation=None)
    membership_request_submit(user=person, organisation=mapped["city"], department=None)
    sso_membership_apply(
        user=person, provider_id="idp", claims={"organisation": "city", "dept": "culture"}
    )
    person.refresh_from_db()
    assert person.department == mapped["culture"]
    assert MembershipRequest.objects.get(user=person).status == "approved"


def test_claims_merge_the_id_token_and_userinfo_and_read_saml_lists():
    assert sso_claims({"id_token": {"a": 1, "b": 1}, "userinfo": {"b": 2}}) == {"a": 1, "b": 2}
    person = {"organisation": ["city"], "dept": ["Planning", "Other"]}
    assert sso_claims(person) == person


def _saml_app():
    return SocialApp.objects.create(
        provider="saml",
        provider_id="urn:idp.portesmer.example",
        name="Port Esmer SAML",
        client_id="portesmer",
        settings={
            "attribute_mapping": {
                "uid": "uid",
                "email": "mail",
                "email_verified": "mailVerified",
                "first_name": "givenName",
                "last_name": "sn",
            },
            "idp": {
                "entity_id": "urn:idp.portesmer.example",
                "sso_url": "https://idp.portesmer.example/sso",
                "x509cert": "",
            },
            "advanced": {"reject_idp_initiated_sso": False},
        },
    )


def _asserted(attributes):
    auth = mock.Mock()
    auth.get_errors.return_value = []
    auth.get_last_error_reason.return_value = None
    auth.is_authenticated.return_value = True
    auth.get_attributes.return_value = attributes
    auth.get_nameid.return_value = attributes["mail"][0]
    auth.get_last_response_in_response_to.return_value = None
    return auth


def test_saml_login_places_the_person_by_attributes(client, mapped):
    _saml_app()
    SingleSignOnRule.objects.create(
        provider_id="urn:idp.portesmer.example",
        organisation_claim="orgUnit",
        claim_value="PE",
        organisation=mapped["city"],
        department_claim="department",
    )
    attributes = {
        "uid": ["s-42"],
        "mail": ["sara@portesmer.example"],
        "mailVerified": ["true"],
        "givenName": ["Sara"],
        "sn": ["Saml"],
        "orgUnit": ["PE"],
        "department": ["Culture"],
    }
    with mock.patch(
        "allauth.socialaccount.providers.saml.views.build_auth",
        return_value=_asserted(attributes),
    ):
        response = client.post(
            "/accounts/saml/portesmer/acs/",
            {"SAMLResponse": "signed-elsewhere", "RelayState": "/en/learn/"},
            follow=True,
        )
    assert response.redirect_chain[-1][0] == "/en/learn/", response.redirect_chain
    user = User.objects.get(email="sara@portesmer.example")
    assert user.full_name == "Sara Saml"
    assert (user.organisation, user.department) == (mapped["city"], mapped["culture"])
    assert user.membership_proof == MembershipProof.SSO
    assert SocialAccount.objects.get(user=user).uid == "s-42"


def test_a_saml_response_the_library_rejects_signs_no_one_in(client, mapped):
    _saml_app()
    refused = _asserted({"mail": ["x@portesmer.example"]})
    refused.get_errors.return_value = ["invalid_response"]
    with mock.patch("allauth.socialaccount.providers.saml.views.build_auth", return_value=refused):
        response = client.post(
            "/accounts/saml/portesmer/acs/", {"SAMLResponse": "forged"}, follow=True
        )
    assert "_auth_user_id" not in client.session
    assert not User.objects.filter(email="x@portesmer.example").exists()
    assert response.status_code == 401  # allauth's "sign-in failed" page
