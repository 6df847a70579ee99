"""Membership requests and invitations hold personal data: they are exported and erased too."""

import pytest

from learners.models import Invitation, MembershipRequest
from learners.privacy.exports import personal_data_files
from learners.privacy.services import account_erase
from tests.factories import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def person_with_membership_records():
    person = UserFactory(email="asked@example.org")
    organisation = OrganisationFactory()
    MembershipRequest.objects.create(user=person, organisation=organisation)
    Invitation.objects.create(
        organisation=organisation, email="asked@example.org", full_name="Asked Person"
    )
    other = Invitation.objects.create(
        organisation=organisation, email="someone.else@example.org", full_name="Someone Else"
    )
    return person, other


def test_export_carries_my_requests_and_invitations_only(person_with_membership_records):
    person, _ = person_with_membership_records
    files = {f.name: f.content for f in personal_data_files(person)}
    assert b"Asked Person" in files["invitations.json"]
    assert b"Someone Else" not in files["invitations.json"]
    assert files["membership_requests.json"].count(b"requested_at") == 1


def test_erasure_removes_invitations_addressed_to_me(person_with_membership_records):
    person, other = person_with_membership_records
    account_erase(user=person, erased_by=person)
    assert list(Invitation.objects.values_list("pk", flat=True)) == [other.pk]
