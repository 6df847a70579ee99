"""Membership HR can rely on: self-declared organisations wait, proofs verify, HR sees a queue."""

import io
from datetime import date, timedelta

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from learners.accounts.selectors import (
    hr_scope_organisation_ids,
    people_in_scope,
    user_in_hr_scope,
)
from learners.accounts.services import (
    MembershipDecisionRefused,
    membership_request_decide,
    membership_request_submit,
    organisation_join_by_email_domain,
)
from learners.hr.services import AssignmentInvalid, assignment_create, digests_send, reminders_send
from learners.models import (
    AssignedLearner,
    Assignment,
    AssignmentTarget,
    Enrolment,
    MembershipProof,
    MembershipRequest,
    User,
)
from learners.progress.services import enrolment_create
from tests.factories import (
    DepartmentFactory,
    HROfficerRoleFactory,
    OrganisationFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(course_tree):
    a = OrganisationFactory(name="Portes-Mer")
    b = OrganisationFactory(name="Bellerive")
    planning = DepartmentFactory(organisation=a, name="Planning")
    officer_a = HROfficerRoleFactory(
        organisation=a, user=UserFactory(full_name="Olga Officer", organisation=a)
    ).user
    officer_b = HROfficerRoleFactory(
        organisation=b, user=UserFactory(full_name="Bruno Officer", organisation=b)
    ).user
    member = UserFactory(full_name="Mara Member", organisation=a)
    # Pia was verified in Bellerive and asks to move to Portes-Mer; Noa declared Portes-Mer at
    # sign-up and belongs nowhere yet.
    pia = UserFactory(full_name="Pia Pending", organisation=b, email="pia@bellerive.example")
    noa = UserFactory(full_name="Noa Newcomer", organisation=None, email="noa@gmail.example")
    for person in (member, pia, noa):
        enrolment_create(user=person, course=course_tree.course)
    membership_request_submit(user=pia, organisation=a, department=planning)
    membership_request_submit(user=noa, organisation=a, department=None)
    return {
        "a": a,
        "b": b,
        "planning": planning,
        "officer_a": officer_a,
        "officer_b": officer_b,
        "member": member,
        "pia": pia,
        "noa": noa,
        "course": course_tree.course,
    }


def _csv(response):
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    return body


# --- The rule -----------------------------------------------------------------------------------


def test_a_declared_organisation_is_pending_and_the_previous_one_stays(world):
    pia, noa = world["pia"], world["noa"]
    pia.refresh_from_db()
    noa.refresh_from_db()
    assert pia.organisation == world["b"]  # keeps her verified organisation until approved
    assert noa.organisation is None
    assert set(
        MembershipRequest.objects.filter(status="pending").values_list("user__full_name", flat=True)
    ) == {"Pia Pending", "Noa Newcomer"}


def test_pending_members_are_outside_the_selectors_of_hr_scope(world):
    officer = world["officer_a"]
    assert world["a"].pk in hr_scope_organisation_ids(officer)
    in_scope = set(people_in_scope(officer).values_list("full_name", flat=True))
    assert "Mara Member" in in_scope
    assert {"Pia Pending", "Noa Newcomer"}.isdisjoint(in_scope)
    assert not user_in_hr_scope(officer, world["pia"])
    assert not user_in_hr_scope(officer, world["noa"])
    # Her previous HR still sees her while the move waits.
    assert user_in_hr_scope(world["officer_b"], world["pia"])


@pytest.mark.parametrize(
    "surface",
    # The XLSX export is prepared in the background: see test_..._absent_from_background_exports.
    ["dashboard", "search", "learner", "department", "export_csv", "assignments"],
)
def test_pending_members_are_invisible_on_every_hr_page(client, world, surface):
    client.force_login(world["officer_a"])
    pia, noa = world["pia"], world["noa"]
    if surface in ("learner", "department"):
        for person in (pia, noa):
            if surface == "learner":
                response = client.get(f"/en/hr/learners/{person.pk}/")
            else:
                response = client.post(
                    f"/en/hr/learners/{person.pk}/department/",
                    {"department": world["planning"].pk},
                )
            assert response.status_code == 404
        return
    url = {
        "dashboard": "/en/hr/",
        "search": "/en/hr/?q=Pending",
        "export_csv": "/en/hr/export.csv",
        "assignments": "/en/hr/assignments/",
    }[surface]
    response = client.get(url)
    assert response.status_code == 200
    body = _csv(response) if surface == "export_csv" else response.content.decode()
    if surface in ("dashboard", "export_csv"):
        assert "Mara Member" in body  # the page does list people: the absence below means it
    for person in (pia, noa):
        assert person.full_name not in body
        assert person.email not in body


def test_pending_members_are_never_assigned_or_reminded(world):
    officer, a = world["officer_a"], world["a"]
    due = timezone.localdate() + timedelta(days=3)
    whole = assignment_create(
        created_by=officer,
        course=world["course"],
        organisation=a,
        target=AssignmentTarget.ORGANISATION,
        due_on=due,
    )
    department = assignment_create(
        created_by=officer,
        course=world["course"],
        organisation=a,
        target=AssignmentTarget.DEPARTMENT,
        department=world["planning"],
        due_on=due,
    )
    assigned = set(AssignedLearner.objects.values_list("user__full_name", flat=True))
    assert "Mara Member" in assigned
    assert {"Pia Pending", "Noa Newcomer"}.isdisjoint(assigned)
    with pytest.raises(AssignmentInvalid):
        assignment_create(
            created_by=officer,
            course=world["course"],
            organisation=a,
            target=AssignmentTarget.INDIVIDUALS,
            learners=[world["noa"]],
            due_on=due,
        )
    mail.outbox.clear()
    reminders_send(today=due)
    digests_send(today=due + timedelta(days=7 - due.weekday()))
    digests_send(today=date(2030, 1, 7))
    everyone = " ".join(" ".join(m.to) + m.body for m in mail.outbox)
    assert world["member"].email in everyone  # reminders went out, to members only
    assert world["pia"].email not in everyone and world["noa"].email not in everyone
    assert {whole.pk, department.pk} == set(Assignment.objects.values_list("pk", flat=True))


# --- Approval -----------------------------------------------------------------------------------


def test_hr_queue_lists_requests_in_scope_with_a_count_in_the_navigation(client, world):
    client.force_login(world["officer_a"])
    page = client.get("/en/hr/members/").content.decode()
    assert "Pia Pending" in page and "Noa Newcomer" in page
    assert "2 requests" in client.get("/en/hr/").content.decode()
    client.force_login(world["officer_b"])
    page = client.get("/en/hr/members/").content.decode()
    assert "Pia Pending" not in page and "Noa Newcomer" not in page


def test_members_pages_need_an_hr_role(client, world):
    assert client.get("/en/hr/members/").status_code == 302  # to the login page
    client.force_login(world["member"])
    for url in ("/en/hr/members/", "/en/hr/members/invite/", "/en/hr/members/invite/csv/"):
        assert client.get(url).status_code == 403
    request = MembershipRequest.objects.get(user=world["noa"])
    response = client.post(f"/en/hr/members/requests/{request.pk}/decide/", {"decision": "approve"})
    assert response.status_code == 403


def test_approve_makes_a_verified_member_who_keeps_their_records(client, world):
    request = MembershipRequest.objects.get(user=world["pia"])
    client.force_login(world["officer_a"])
    response = client.post(f"/en/hr/members/requests/{request.pk}/decide/", {"decision": "approve"})
    assert response.status_code == 302
    pia = world["pia"]
    pia.refresh_from_db()
    assert (pia.organisation, pia.department) == (world["a"], world["planning"])
    assert pia.membership_proof == MembershipProof.APPROVAL
    request.refresh_from_db()
    assert (request.status, request.decided_by) == ("approved", world["officer_a"])
    # The records came along, and the new HR sees them (training before the move included).
    assert Enrolment.objects.filter(user=pia).count() == 1
    detail = client.get(f"/en/hr/learners/{pia.pk}/")
    assert detail.status_code == 200
    assert "Pia Pending" in client.get("/en/hr/").content.decode()
    # Her previous HR no longer does.
    client.force_login(world["officer_b"])
    assert client.get(f"/en/hr/learners/{pia.pk}/").status_code == 404


def test_refuse_leaves_the_person_where_they_were(client, world):
    request = MembershipRequest.objects.get(user=world["pia"])
    client.force_login(world["officer_a"])
    response = client.post(f"/en/hr/members/requests/{request.pk}/decide/", {"decision": "refuse"})
    assert response.status_code == 302
    world["pia"].refresh_from_db()
    assert world["pia"].organisation == world["b"]
    request.refresh_from_db()
    assert request.status == "refused"
    # A decided request cannot be decided again.
    again = client.post(f"/en/hr/members/requests/{request.pk}/decide/", {"decision": "approve"})
    assert again.status_code == 404


def test_an_officer_cannot_decide_for_another_organisation(client, world):
    request = MembershipRequest.objects.get(user=world["noa"])
    client.force_login(world["officer_b"])
    response = client.post(f"/en/hr/members/requests/{request.pk}/decide/", {"decision": "approve"})
    assert response.status_code == 404
    assert (
        client.post("/en/hr/members/requests/99999/decide/", {"decision": "approve"}).status_code
        == 404
    )
    with pytest.raises(MembershipDecisionRefused):
        membership_request_decide(
            membership_request_id=request.pk, officer=world["officer_b"], approve=True
        )
    world["noa"].refresh_from_db()
    assert world["noa"].organisation is None


def test_a_decision_must_be_approve_or_refuse(client, world):
    request = MembershipRequest.objects.get(user=world["noa"])
    client.force_login(world["officer_a"])
    response = client.post(f"/en/hr/members/requests/{request.pk}/decide/", {"decision": "maybe"})
    assert response.status_code == 400
    assert client.get(f"/en/hr/members/requests/{request.pk}/decide/").status_code == 405


# --- Proof by e-mail domain and by the profile ------------------------------------------------


def test_a_verified_address_at_the_domain_joins_at_once(world):
    a = world["a"]
    a.email_domain = "portesmer.example"
    a.save()
    person = UserFactory(organisation=None, email="ines@portesmer.example")
    assert membership_request_submit(user=person, organisation=a, department=None) is None
    person.refresh_from_db()
    assert (person.organisation, person.membership_proof) == (a, MembershipProof.EMAIL_DOMAIN)


def test_confirming_an_address_at_the_domain_proves_a_pending_request(world):
    a = world["a"]
    a.email_domain = "portesmer.example"
    a.save()
    pia = world["pia"]
    EmailAddress.objects.create(user=pia, email="pia@portesmer.example", verified=True)
    assert organisation_join_by_email_domain(user=pia, email="pia@portesmer.example") == a
    pia.refresh_from_db()
    assert (pia.organisation, pia.department) == (a, world["planning"])
    assert not MembershipRequest.objects.filter(user=pia, status="pending").exists()


def test_an_unverified_address_at_the_domain_proves_nothing(world):
    a = world["a"]
    a.email_domain = "portesmer.example"
    a.save()
    person = UserFactory(organisation=None, email="eve@portesmer.example")
    EmailAddress.objects.filter(user=person).update(verified=False)
    assert membership_request_submit(user=person, organisation=a, department=None) is not None
    person.refresh_from_db()
    assert person.organisation is None


def test_moving_from_the_profile_is_a_request(client, world):
    member = world["member"]
    client.force_login(member)
    response = client.post(
        "/en/accounts/profile/",
        {"full_name": "Mara Member", "organisation": world["b"].pk, "government_level": "local"},
        follow=True,
    )
    assert "waits for its HR officers" in response.content.decode()
    member.refresh_from_db()
    assert member.organisation == world["a"]
    # Saving the profile again does not push the request to the back of the queue.
    first = MembershipRequest.objects.get(user=member, status="pending")
    client.post(
        "/en/accounts/profile/",
        {"full_name": "Mara M.", "organisation": world["b"].pk, "government_level": "local"},
    )
    assert MembershipRequest.objects.get(user=member, status="pending").pk == first.pk


def test_leaving_every_organisation_needs_no_approval(client, world):
    member = world["member"]
    client.force_login(member)
    client.post("/en/accounts/profile/", {"full_name": "Mara Member", "government_level": "local"})
    member.refresh_from_db()
    assert member.organisation is None


def test_existing_members_were_marked_prior_by_the_migration():
    from importlib import import_module

    from django.apps import apps

    migration = import_module("learners.migrations.0011_accounts_membership")
    person = UserFactory()
    loner = UserFactory(organisation=None)
    migration.verify_existing_members(apps, None)
    person.refresh_from_db()
    loner.refresh_from_db()
    assert person.membership_proof == MembershipProof.PRIOR and person.membership_verified_at
    assert loner.membership_proof == ""


def test_hr_nav_count_is_zero_without_requests(client, world):
    MembershipRequest.objects.all().delete()
    client.force_login(world["officer_a"])
    assert (
        "request" not in client.get("/en/hr/assignments/").content.decode().split("Members")[1][:40]
    )


def test_an_organisation_closed_to_join_requests_refuses_them(client, world):
    from learners.accounts.services import JoinRequestsClosed

    b = world["b"]
    b.accepts_join_requests = False
    b.email_domain = "bellerive.example"
    b.save()
    member = world["member"]
    client.force_login(member)
    response = client.post(
        "/en/accounts/profile/",
        {"full_name": "Mara Member", "organisation": b.pk, "government_level": "local"},
    )
    assert response.status_code == 200
    assert "admits members by invitation" in response.content.decode()
    assert not MembershipRequest.objects.filter(user=member).exists()
    with pytest.raises(JoinRequestsClosed):
        membership_request_submit(user=member, organisation=b, department=None)
    # Its e-mail domain still admits people: a verified address there joins at once.
    EmailAddress.objects.create(user=member, email="mara@bellerive.example", verified=True)
    assert membership_request_submit(user=member, organisation=b, department=None) is None
    member.refresh_from_db()
    assert member.organisation == b


def test_signup_into_a_closed_organisation_needs_its_domain(client, world):
    a = world["a"]
    a.accepts_join_requests = False
    a.email_domain = "portesmer.example"
    a.save()
    data = {
        "full_name": "Nuno New",
        "password1": "a long unusual passphrase 1987",
        "password2": "a long unusual passphrase 1987",
        "organisation": a.pk,
        "government_level": "local",
    }
    refused = client.post("/en/accounts/signup/", {**data, "email": "nuno@gmail.example"})
    assert refused.status_code == 200
    assert "admits members by invitation" in refused.content.decode()
    accepted = client.post("/en/accounts/signup/", {**data, "email": "nuno@portesmer.example"})
    assert accepted.status_code == 302
    nuno = User.objects.get(email="nuno@portesmer.example")
    # No request: confirming the address at the domain is what admits him.
    assert nuno.organisation is None and not nuno.membership_requests.exists()
    address = EmailAddress.objects.get(user=nuno)
    assert organisation_join_by_email_domain(user=nuno, email=address.email) == a


def test_an_administrator_placing_someone_is_recorded_as_the_proof(client, world):
    admin = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(admin)
    noa = world["noa"]
    response = client.post(
        reverse("wagtailusers_users:edit", args=[noa.pk]),
        {
            "email": noa.email,
            "full_name": noa.full_name,
            "organisation": world["a"].pk,
            "government_level": "local",
            "is_active": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    noa.refresh_from_db()
    assert (noa.organisation, noa.membership_proof) == (world["a"], MembershipProof.ADMIN)


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_pending_members_are_absent_from_background_exports(world, file_format, settings, tmp_path):
    from learners.hr.exports import export_job_run
    from learners.hr.models import ExportJob

    settings.MEDIA_ROOT = tmp_path
    job = export_job_run(
        job_id=ExportJob.objects.create(requester=world["officer_a"], format=file_format).pk
    )
    assert job.status == "done", job
    with job.file.open("rb") as handle:
        data = handle.read()
    if file_format == "csv":
        body = data.decode("utf-8-sig")
    else:
        sheet = load_workbook(io.BytesIO(data)).active
        body = " ".join(str(c) for row in sheet.iter_rows(values_only=True) for c in row)
    assert "Mara Member" in body
    for person in (world["pia"], world["noa"]):
        assert person.full_name not in body and person.email not in body


def test_an_out_of_range_request_id_is_a_404_not_a_500(client, world):
    client.force_login(world["officer_a"])
    url = "/en/hr/members/requests/99999999999999999999/decide/"
    assert client.post(url, {"decision": "approve"}).status_code == 404
