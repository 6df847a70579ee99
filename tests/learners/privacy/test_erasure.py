"""Deleting my account: re-authentication first; personal data goes, records stay pseudonymised."""

from dataclasses import asdict

import pytest
from allauth.account.models import EmailAddress
from django.urls import reverse
from django.utils import timezone

from learners.hr.selectors import hr_dashboard, scoped_rows
from learners.models import (
    AccountErasure,
    ActivityEvent,
    Certificate,
    DataExport,
    HROfficerRole,
    User,
)
from learners.privacy.archive import data_export_build
from learners.privacy.services import ErasureRefused, account_erase, data_export_request
from tests.factories import PASSWORD, HROfficerRoleFactory, UserFactory
from tests.learners.privacy.conftest import TYPED_ANSWER

pytestmark = pytest.mark.django_db


def _hr_figures(officer):
    today = timezone.localdate()
    figures = asdict(hr_dashboard(officer.user, today=today))
    rows = sorted(
        (row.user_id, row.course_title, row.completed_at)
        for row in scoped_rows(officer.user, today=today)
    )
    return figures, rows


def _reauthenticate(client):
    response = client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    assert response.status_code == 302


def test_deleting_asks_for_the_password_first(client, holder):
    client.force_login(holder.user)
    url = reverse("privacy_account_delete")
    response = client.post(url, {"confirm": "on"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_reauthenticate"))
    assert not AccountErasure.objects.exists()
    wrong = client.post(reverse("account_reauthenticate"), {"password": "not it"})
    assert wrong.status_code == 200
    assert client.post(url, {"confirm": "on"}).status_code == 302
    assert not AccountErasure.objects.exists()


def test_confirmation_box_is_required(client, holder):
    client.force_login(holder.user)
    _reauthenticate(client)
    response = client.post(reverse("privacy_account_delete"), {})
    assert response.status_code == 200
    assert "Tick the box" in response.content.decode()
    assert not AccountErasure.objects.exists()


def test_self_erasure_keeps_records_verify_page_and_hr_figures(
    client, holder, bystander, officer, django_capture_on_commit_callbacks
):
    before_figures, before_rows = _hr_figures(officer)
    events_before = ActivityEvent.objects.filter(actor=holder.user).count()
    certificate = holder.certificate
    stored = certificate.pdfs.get()
    pdf_name, pdf_storage = stored.file.name, stored.file.storage

    client.force_login(holder.user)
    _reauthenticate(client)
    page = client.get(reverse("privacy_account_delete"))
    assert page.status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("privacy_account_delete"), {"confirm": "on"})
    assert response.status_code == 302

    user = User.objects.get(pk=holder.user.pk)
    assert user.full_name.startswith("Erased learner ")
    assert user.email.endswith("@erased.invalid")
    assert user.job_title == ""
    assert not user.is_active and not user.has_usable_password()
    assert not EmailAddress.objects.filter(user=user).exists()
    # Kept under the pseudonym, for the organisation's figures.
    assert user.organisation_id == holder.user.organisation_id
    assert user.department_id == holder.user.department_id
    erasure = AccountErasure.objects.get(user=user)
    assert erasure.by_holder and erasure.erased_by is None

    # Signed out: the session is gone.
    assert client.get(reverse("privacy_my_data")).status_code == 302

    # Learning records stay; typed answers go; the activity log still counts the events.
    assert ActivityEvent.objects.filter(actor=user).count() == events_before
    attempt = user.quiz_attempts.get()
    assert TYPED_ANSWER not in str(attempt.answers)
    assert attempt.percent == holder.attempt.percent
    assert attempt.answers  # the ticked choices remain
    bystander.attempt.refresh_from_db()
    assert TYPED_ANSWER in str(bystander.attempt.answers)

    # The certificate stays verifiable, without the name.
    certificate.refresh_from_db()
    assert certificate.holder_name == "" and not certificate.pdfs.exists()
    assert not pdf_storage.exists(pdf_name)
    verify = client.get(certificate.get_verify_url())
    assert verify.status_code == 200
    body = verify.content.decode()
    assert "Zoë" not in body
    assert "The holder withdrew their name (erased on" in body
    assert certificate.course_title in body
    assert "Valid" in body

    # HR: the same figures, the same rows; the person shows as the pseudonym.
    assert _hr_figures(officer) == (before_figures, before_rows)
    officer.user.refresh_from_db()
    client.force_login(officer.user)
    hr_page = client.get(reverse("hr_dashboard")).content.decode()
    assert user.full_name in hr_page and "Zoë" not in hr_page
    assert bystander.user.full_name in hr_page


def test_erasure_removes_exports_even_one_still_queued(holder, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        ready, _queued = data_export_request(user=holder.user)
    ready.refresh_from_db()
    name, storage = ready.file.name, ready.file.storage
    queued, _queued = data_export_request(user=holder.user)  # its task has not run yet
    with django_capture_on_commit_callbacks(execute=True):
        account_erase(user=holder.user)
    assert not storage.exists(name)
    assert not DataExport.objects.exists()
    assert data_export_build(export_id=queued.pk) is False


def test_erasure_removes_roles_and_refuses_twice(holder):
    HROfficerRoleFactory(user=holder.user, organisation=holder.user.organisation)
    account_erase(user=holder.user)
    assert not HROfficerRole.objects.filter(user=holder.user).exists()
    with pytest.raises(ErasureRefused):
        account_erase(user=holder.user)


def test_last_administrator_is_not_erased(db):
    admin = UserFactory(is_superuser=True, is_staff=True)
    with pytest.raises(ErasureRefused):
        account_erase(user=admin)
    admin.refresh_from_db()
    assert admin.is_active and not AccountErasure.objects.exists()


def test_certificate_count_and_codes_unchanged(holder):
    codes = list(Certificate.objects.values_list("code", flat=True))
    account_erase(user=holder.user)
    assert list(Certificate.objects.values_list("code", flat=True)) == codes
