"""An administrator manages users in Wagtail's admin with the custom user (no username)."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from learners.models import GovernmentLevel, User
from tests.factories import DepartmentFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a long and unusual passphrase 42"


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(is_superuser=True, is_staff=True, full_name="Ada Admin"))
    return client


def test_user_list_shows_full_names(admin_client):
    UserFactory(full_name="Zoë Listed", email="zoe@example.org")
    response = admin_client.get(reverse("wagtailusers_users:index"))
    assert response.status_code == 200
    assert "Zoë Listed" in response.content.decode()
    # Sorting by name falls back safely (there are no first/last name columns to sort on).
    by_name = admin_client.get(reverse("wagtailusers_users:index") + "?ordering=name")
    assert by_name.status_code == 200
    searched = admin_client.get(reverse("wagtailusers_users:index") + "?q=zoe")
    assert searched.status_code == 200 and "Zoë Listed" in searched.content.decode()


def test_create_user_form_has_full_name_not_first_last(admin_client):
    response = admin_client.get(reverse("wagtailusers_users:add"))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="full_name"' in html and 'name="organisation"' in html
    assert 'name="first_name"' not in html and 'name="last_name"' not in html


def test_administrator_creates_a_user(admin_client):
    organisation = OrganisationFactory(name="City of Testbridge")
    department = DepartmentFactory(organisation=organisation, name="International Office")
    response = admin_client.post(
        reverse("wagtailusers_users:add"),
        {
            "email": "New.Person@Example.org",
            "full_name": "Nadia New",
            "organisation": organisation.pk,
            "department": department.pk,
            "job_title": "Adviser",
            "government_level": GovernmentLevel.LOCAL,
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    user = User.objects.get(email="new.person@example.org")
    assert user.full_name == "Nadia New"
    assert user.department == department and user.organisation == organisation
    assert user.check_password(NEW_PASSWORD)


def test_create_user_refuses_a_department_of_another_organisation(admin_client):
    organisation = OrganisationFactory()
    foreign = DepartmentFactory()
    response = admin_client.post(
        reverse("wagtailusers_users:add"),
        {
            "email": "x@example.org",
            "full_name": "X",
            "organisation": organisation.pk,
            "department": foreign.pk,
            "government_level": GovernmentLevel.LOCAL,
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
        },
    )
    assert response.status_code == 200
    assert "department" in response.context["form"].errors
    assert not User.objects.filter(email="x@example.org").exists()


def test_administrator_edits_a_user(admin_client):
    user = UserFactory(full_name="Old Name")
    response = admin_client.get(reverse("wagtailusers_users:edit", args=[user.pk]))
    assert response.status_code == 200
    assert 'value="Old Name"' in response.content.decode()
    response = admin_client.post(
        reverse("wagtailusers_users:edit", args=[user.pk]),
        {
            "email": user.email,
            "full_name": "New Name",
            "organisation": user.organisation_id,
            "job_title": "Head of unit",
            "government_level": GovernmentLevel.REGIONAL,
            "is_active": "on",
            "password1": "",
            "password2": "",
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    user.refresh_from_db()
    assert user.full_name == "New Name"
    assert user.job_title == "Head of unit"
    assert user.government_level == GovernmentLevel.REGIONAL
    assert user.check_password("correct horse battery staple")  # blank password: unchanged


def test_administrator_edits_own_account_in_the_user_admin(admin_client):
    me = User.objects.get(full_name="Ada Admin")
    response = admin_client.get(reverse("wagtailusers_users:edit", args=[me.pk]))
    assert response.status_code == 200
    assert 'name="is_superuser"' not in response.content.decode()  # no self-demotion
    response = admin_client.post(
        reverse("wagtailusers_users:edit", args=[me.pk]),
        {"email": me.email, "full_name": "Ada Renamed", "government_level": "local"},
    )
    assert response.status_code == 302, response.context["form"].errors
    me.refresh_from_db()
    assert me.full_name == "Ada Renamed" and me.is_superuser


def test_own_account_page_edits_the_full_name(client):
    trainer = UserFactory(full_name="Tomás Trainer", is_staff=True)
    trainer.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(trainer)
    page = client.get("/admin/account/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'name="name_email-full_name"' in html
    assert 'name="name_email-first_name"' not in html
    response = client.post(
        "/admin/account/",
        {
            "name_email-full_name": "Tomás Renamed",
            "name_email-email": trainer.email,
            "locale-preferred_language": "en",
            "locale-current_time_zone": "",
            "theme-theme": "system",
            "theme-contrast": "system",
            "theme-density": "default",
            "theme-keyboard_shortcuts": "on",
            "notifications-submitted_notifications": "on",
            "notifications-approved_notifications": "on",
            "notifications-rejected_notifications": "on",
            "notifications-updated_comments_notifications": "on",
        },
    )
    assert response.status_code == 302
    trainer.refresh_from_db()
    assert trainer.full_name == "Tomás Renamed"
