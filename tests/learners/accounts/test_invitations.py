"""Invitations: one by one or by CSV (preview, per-row errors, all or nothing), signed links."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from learners.models import Invitation, MembershipProof
from tests.factories import (
    DepartmentFactory,
    HROfficerRoleFactory,
    OrganisationFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

HEADER = "name,email,department,job_title\n"


@pytest.fixture
def org(db):
    return OrganisationFactory(name="Portes-Mer")


@pytest.fixture
def planning(org):
    return DepartmentFactory(organisation=org, name="Planning")


@pytest.fixture
def officer_client(client, org):
    officer = HROfficerRoleFactory(organisation=org, user=UserFactory(organisation=org)).user
    client.force_login(officer)
    return client


def _link(message) -> str:
    match = re.search(r"https?://testserver(/(?:en|es)/accounts/invitation/\S+/)", message.body)
    assert match, message.body
    return match.group(1)


def _upload(officer_client, org, text, **extra):
    data = {"organisation": org.pk, "step": "preview", **extra}
    if text is not None:
        data["file"] = SimpleUploadedFile("people.csv", text.encode("utf-8"), "text/csv")
    return officer_client.post("/en/hr/members/invite/csv/", data)


def test_invite_one_person_and_accept_the_signed_link(officer_client, client, org, planning):
    response = officer_client.post(
        "/en/hr/members/invite/",
        {
            "full_name": "Ivo Invited",
            "email": "Ivo@Example.org",
            "organisation": org.pk,
            "department": planning.pk,
            "job_title": "Urban planner",
        },
    )
    assert response.status_code == 302
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["ivo@example.org"]
    assert "Portes-Mer" in mail.outbox[0].subject
    link = _link(mail.outbox[0])

    ivo = UserFactory(email="ivo@example.org", organisation=None, full_name="Ivo Invited")
    client.logout()
    assert client.get(link).status_code == 200  # the link shows who invites whom
    assert client.post(link).status_code == 302  # signing in first
    ivo.refresh_from_db()
    assert ivo.organisation is None
    client.force_login(ivo)
    assert client.post(link).status_code == 302
    ivo.refresh_from_db()
    assert (ivo.organisation, ivo.department, ivo.job_title) == (org, planning, "Urban planner")
    assert ivo.membership_proof == MembershipProof.INVITATION
    assert client.get(link).status_code == 404  # used once


def test_an_invitation_cannot_be_accepted_by_another_account(officer_client, client, org):
    invitation = Invitation.objects.create(organisation=org, email="ivo@example.org", full_name="I")
    from learners.accounts.services import invitation_token

    link = f"/en/accounts/invitation/{invitation_token(invitation)}/"
    mallory = UserFactory(email="mallory@example.org", organisation=None)
    client.force_login(mallory)
    response = client.post(link)
    assert response.status_code == 403
    assert "another e-mail address" in response.content.decode()
    mallory.refresh_from_db()
    assert mallory.organisation is None


def test_tampered_and_expired_links_are_refused(client, org, settings):
    from learners.accounts.services import invitation_token

    invitation = Invitation.objects.create(organisation=org, email="ivo@example.org", full_name="I")
    token = invitation_token(invitation)
    assert client.get(f"/en/accounts/invitation/{token}x/").status_code == 404
    settings.INVITATION_MAX_AGE_DAYS = 14
    with time_machine.travel(timezone.now() + timedelta(days=15)):
        assert client.get(f"/en/accounts/invitation/{token}/").status_code == 404


def test_the_invite_form_offers_only_organisations_in_scope(officer_client, org):
    other = OrganisationFactory(name="Elsewhere")
    response = officer_client.post(
        "/en/hr/members/invite/",
        {"full_name": "X", "email": "x@example.org", "organisation": other.pk},
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not Invitation.objects.exists() and not mail.outbox


def test_inviting_a_member_again_is_refused_with_a_message(officer_client, org):
    UserFactory(email="mara@example.org", organisation=org)
    response = officer_client.post(
        "/en/hr/members/invite/",
        {"full_name": "Mara", "email": "mara@example.org", "organisation": org.pk},
    )
    assert "already a member" in response.content.decode()
    assert not Invitation.objects.exists()


def test_csv_preview_then_confirm_sends_every_invitation(officer_client, org, planning):
    text = HEADER + "Ana Uno,ana@example.org,planning,Clerk\nBen Dos,ben@example.org,,\n"
    preview = _upload(officer_client, org, text)
    assert preview.status_code == 200
    page = preview.content.decode()
    assert "ana@example.org" in page and "Send 2 invitations" in page
    assert not Invitation.objects.exists() and not mail.outbox  # a preview creates nothing
    confirm = officer_client.post(
        "/en/hr/members/invite/csv/",
        {"organisation": org.pk, "csv_text": text, "step": "confirm"},
    )
    assert confirm.status_code == 302
    invitations = {i.email: i for i in Invitation.objects.all()}
    assert set(invitations) == {"ana@example.org", "ben@example.org"}
    assert invitations["ana@example.org"].department == planning
    assert sorted(m.to[0] for m in mail.outbox) == ["ana@example.org", "ben@example.org"]


def test_csv_with_bad_rows_shows_each_error_and_creates_nothing(officer_client, org, planning):
    UserFactory(email="member@example.org", organisation=org)
    text = (
        HEADER
        + "Good Person,good@example.org,Planning,\n"
        + ",noname@example.org,,\n"
        + "Bad Address,not-an-address,,\n"
        + "Lost,lost@example.org,Nowhere,\n"
        + "Twice,good@example.org,,\n"
        + "Member,member@example.org,,\n"
    )
    for step in ("preview", "confirm"):
        response = officer_client.post(
            "/en/hr/members/invite/csv/", {"organisation": org.pk, "csv_text": text, "step": step}
        )
        page = response.content.decode()
        assert "5 rows have errors" in page
        for message in (
            "The name is missing",
            "is not an e-mail address",
            "is not a department of Portes-Mer",
            "appears twice in the file",
            "already a member",
        ):
            assert message in page, message
        assert "Send " not in page
        assert not Invitation.objects.exists() and not mail.outbox


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"who,what\nx,y\n", "The first line must be the header"),
        (HEADER.encode(), "The file has a header but no rows"),
        ("name,email\n".encode("utf-16"), "not UTF-8"),
        (b"", "Choose a CSV file"),
    ],
)
def test_csv_refused_files_create_nothing(officer_client, org, content, message):
    response = officer_client.post(
        "/en/hr/members/invite/csv/",
        {
            "organisation": org.pk,
            "step": "preview",
            "file": SimpleUploadedFile("people.csv", content, "text/csv"),
        },
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Invitation.objects.exists()


def test_csv_into_an_organisation_outside_scope_is_refused(officer_client):
    other = OrganisationFactory()
    response = _upload(officer_client, other, HEADER + "A,a@example.org,,\n")
    assert response.status_code == 400
    assert not Invitation.objects.exists()
