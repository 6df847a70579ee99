"""Administrators: erasure from the Wagtail user admin, and a delete that never ends in a 500."""

import pytest
from django.urls import reverse

from learners.models import AccountErasure, Certificate, User
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(is_superuser=True, is_staff=True, full_name="Ada Admin"))
    return client


def test_deleting_a_certificate_holder_erases_instead(admin_client, holder):
    url = reverse("wagtailusers_users:delete", args=[holder.user.pk])
    erase_url = reverse("privacy_user_erase", args=[holder.user.pk])
    shown = admin_client.get(url)
    assert shown.status_code == 302 and shown["Location"] == erase_url
    posted = admin_client.post(url)
    assert posted.status_code == 302 and posted["Location"] == erase_url
    assert User.objects.filter(pk=holder.user.pk).exists()

    confirm = admin_client.get(erase_url)
    assert confirm.status_code == 200
    assert "learning records" in confirm.content.decode()
    done = admin_client.post(erase_url)
    assert done.status_code == 302
    erasure = AccountErasure.objects.get(user=holder.user)
    assert not erasure.by_holder and erasure.erased_by.full_name == "Ada Admin"
    assert Certificate.objects.get(pk=holder.certificate.pk).holder_name == ""
    # Deleting the erased account is still refused, never a 500.
    again = admin_client.post(url, follow=True)
    assert again.status_code == 200
    assert "already been erased" in again.content.decode()


def test_bulk_delete_with_a_learner_deletes_nothing(admin_client, holder):
    plain = UserFactory(full_name="Never Learned")
    url = reverse("wagtail_bulk_action", args=["learners", "user", "delete"])
    query = f"?id={holder.user.pk}&id={plain.pk}&next=/admin/users/"
    response = admin_client.post(url + query, follow=True)
    assert response.status_code == 200
    assert "Nothing was deleted" in response.content.decode()
    assert User.objects.filter(pk__in=[holder.user.pk, plain.pk]).count() == 2


def test_someone_without_records_is_deleted_normally(admin_client, db):
    plain = UserFactory(full_name="Never Learned")
    response = admin_client.post(reverse("wagtailusers_users:delete", args=[plain.pk]))
    assert response.status_code == 302
    assert not User.objects.filter(pk=plain.pk).exists()


def test_user_listing_offers_erasure(admin_client, holder):
    page = admin_client.get(reverse("wagtailusers_users:index"))
    assert reverse("privacy_user_erase", args=[holder.user.pk]) in page.content.decode()


def test_non_administrators_cannot_erase(client, holder, bystander):
    client.force_login(bystander.user)
    response = client.post(reverse("privacy_user_erase", args=[holder.user.pk]))
    assert response.status_code in (302, 403)
    assert not AccountErasure.objects.exists()
