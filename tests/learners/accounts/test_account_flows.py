"""Sign up, verify, log in, reset a password, edit the profile — and the ways each can go wrong."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail

from learners.models import GovernmentLevel, MembershipRequest, User
from tests.factories import PASSWORD, DepartmentFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db

STRONG = "a long unusual passphrase 1987"


@pytest.fixture
def organisation(db):
    return OrganisationFactory(name="Municipality of Testbridge")


def signup_data(org, /, **overrides):
    data = {
        "full_name": "Beatriz Nueva",
        "email": "beatriz@testbridge.example",
        "password1": STRONG,
        "password2": STRONG,
        "organisation": org.pk,
        "job_title": "International relations officer",
        "government_level": GovernmentLevel.LOCAL,
    }
    data.update(overrides)
    return data


def confirmation_url(message) -> str:
    match = re.search(
        r"https?://testserver(/(?:en|es)/accounts/confirm-email/[^/\s]+/)", message.body
    )
    assert match, message.body
    return match.group(1)


def test_signup_form_asks_for_the_profile(client, organisation):
    html = client.get("/en/accounts/signup/").content.decode()
    for name in ("full_name", "email", "password1", "password2", "job_title"):
        assert f'name="{name}"' in html
    assert f'<option value="{organisation.pk}">Municipality of Testbridge</option>' in html
    for level in GovernmentLevel.values:
        assert f'<option value="{level}">' in html
    assert '<main id="main"' in html  # inside the site layout


def test_signup_verify_then_log_in(client, organisation):
    response = client.post("/en/accounts/signup/", signup_data(organisation))
    assert response.status_code == 302
    assert response.url == "/en/accounts/confirm-email/"
    user = User.objects.get(email="beatriz@testbridge.example")
    assert user.full_name == "Beatriz Nueva"
    # A self-declared organisation is a pending request, outside every HR scope.
    assert user.organisation is None
    request = MembershipRequest.objects.get(user=user)
    assert (request.organisation, request.status) == (organisation, "pending")
    assert user.job_title == "International relations officer"
    assert user.government_level == GovernmentLevel.LOCAL
    assert not EmailAddress.objects.get(user=user).verified
    assert "_auth_user_id" not in client.session  # not logged in before verifying

    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["beatriz@testbridge.example"]
    assert mail.outbox[0].subject.startswith("[Capacitas] ")
    assert "Capacitas" in mail.outbox[0].body and "testserver!" not in mail.outbox[0].body
    url = confirmation_url(mail.outbox[0])

    # GET only shows the confirmation button (link scanners must not confirm addresses).
    page = client.get(url)
    assert page.status_code == 200
    assert not EmailAddress.objects.get(user=user).verified
    confirmed = client.post(url)
    assert confirmed.status_code == 302
    assert EmailAddress.objects.get(user=user).verified
    assert client.session["_auth_user_id"] == str(user.pk)  # logged in on confirmation

    client.post("/en/accounts/logout/")
    assert "_auth_user_id" not in client.session
    login = client.post(
        "/en/accounts/login/", {"login": "Beatriz@Testbridge.example", "password": STRONG}
    )
    assert login.status_code == 302 and login.url == "/en/learn/"
    assert client.session["_auth_user_id"] == str(user.pk)


def test_login_before_verification_goes_to_the_verification_page(client, organisation):
    client.post("/en/accounts/signup/", signup_data(organisation))
    client.logout()
    mail.outbox.clear()
    response = client.post(
        "/en/accounts/login/", {"login": "beatriz@testbridge.example", "password": STRONG}
    )
    assert response.status_code == 302
    assert response.url == "/en/accounts/confirm-email/"
    assert "_auth_user_id" not in client.session
    # Logging in again is also a chance to resend the link.
    assert len(mail.outbox) <= 1


def test_wrong_password_is_refused_with_a_message(client, learner):
    response = client.post("/en/accounts/login/", {"login": learner.email, "password": "wrong"})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert "not correct" in response.content.decode()


def test_unknown_email_gets_the_same_message_as_a_wrong_password(client, learner):
    wrong = client.post("/en/accounts/login/", {"login": learner.email, "password": "nope"})
    unknown = client.post(
        "/en/accounts/login/", {"login": "nobody@example.org", "password": "nope"}
    )
    assert wrong.context["form"].errors == unknown.context["form"].errors


def test_demo_style_login_with_email(client, learner, password):
    response = client.post("/en/accounts/login/", {"login": learner.email, "password": password})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(learner.pk)


# --- Rate limits ---------------------------------------------------------------------------------
def test_login_rate_limit_answers_429_with_the_site_page(client, settings, learner):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "login": "3/m/ip"}
    for _ in range(3):
        response = client.post("/en/accounts/login/", {"login": learner.email, "password": "x"})
        assert response.status_code == 200
    response = client.post("/en/accounts/login/", {"login": learner.email, "password": PASSWORD})
    assert response.status_code == 429
    html = response.content.decode()
    assert "Too many requests" in html
    assert 'class="skip-link"' in html  # our templates/429.html inside the site layout
    assert "_auth_user_id" not in client.session


def test_configured_login_limit_applies(client, learner):
    """The real setting (30 a minute per IP) is enforced, not only a test override."""
    statuses = [
        client.post("/en/accounts/login/", {"login": learner.email, "password": "x"}).status_code
        for _ in range(31)
    ]
    assert statuses[:5] == [200] * 5
    assert statuses[-1] == 429


def test_failed_logins_for_one_account_are_limited(client, learner):
    for _ in range(5):
        client.post("/en/accounts/login/", {"login": learner.email, "password": "x"})
    # Even the right password is refused for a while once the account has been hammered.
    response = client.post("/en/accounts/login/", {"login": learner.email, "password": PASSWORD})
    assert "_auth_user_id" not in client.session
    assert response.status_code in (200, 429)
    if response.status_code == 200:
        assert "Too many failed login attempts" in response.content.decode()


def test_signup_rate_limit_answers_429(client, organisation):
    statuses = []
    for i in range(21):
        data = signup_data(organisation, email=f"person{i}@testbridge.example")
        statuses.append(client.post("/en/accounts/signup/", data).status_code)
        client.logout()
    assert statuses[0] == 302
    assert statuses[-1] == 429
    assert User.objects.count() == 20


# --- Password reset ------------------------------------------------------------------------------
def test_password_reset_for_a_known_address(client, learner):
    response = client.post("/en/accounts/password/reset/", {"email": learner.email})
    assert response.status_code == 302
    assert response.url == "/en/accounts/password/reset/done/"
    assert len(mail.outbox) == 1
    match = re.search(
        r"https?://testserver(/(?:en|es)/accounts/password/reset/key/\S+/)", mail.outbox[0].body
    )
    assert match, mail.outbox[0].body
    form_page = client.get(match.group(1), follow=True)
    assert form_page.status_code == 200
    new = "another unusual passphrase 2024"
    done = client.post(form_page.redirect_chain[-1][0], {"password1": new, "password2": new})
    assert done.status_code == 302
    learner.refresh_from_db()
    assert learner.check_password(new)


def test_password_reset_does_not_reveal_unknown_addresses(client, learner):
    known = client.post("/en/accounts/password/reset/", {"email": learner.email})
    unknown = client.post("/en/accounts/password/reset/", {"email": "stranger@example.org"})
    assert (known.status_code, known.url) == (unknown.status_code, unknown.url)
    done_known = client.get(known.url).content.decode()
    done_unknown = client.get(unknown.url).content.decode()
    strip = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')
    assert strip.sub("", done_known) == strip.sub("", done_unknown)
    reset_links = [m for m in mail.outbox if "/password/reset/key/" in m.body]
    assert [m.to for m in reset_links] == [[learner.email]]


# --- Bad sign-up input ----------------------------------------------------------------------
def test_signup_with_an_existing_email_creates_nothing_and_reveals_nothing(
    client, organisation, learner
):
    before = User.objects.count()
    response = client.post(
        "/en/accounts/signup/", signup_data(organisation, email=learner.email.upper())
    )
    # Same answer as a fresh sign-up (no enumeration); the owner is told by e-mail instead.
    assert response.status_code == 302 and response.url == "/en/accounts/confirm-email/"
    assert User.objects.count() == before
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [learner.email]
    assert "already" in mail.outbox[0].body.lower()
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"email": "not-an-email"}, "email", "valid email"),
        ({"email": "two@@example.org"}, "email", "valid email"),
        ({"password1": "short", "password2": "short"}, "password1", "too short"),
        ({"password1": "password123", "password2": "password123"}, "password1", "too common"),
        ({"password1": "12345678901", "password2": "12345678901"}, "password1", "numeric"),
        ({"password2": "something else entirely"}, "password2", "same password"),
        ({"full_name": ""}, "full_name", "required"),
        ({"government_level": "galactic"}, "government_level", "valid choice"),
        ({"organisation": "999999"}, "organisation", "valid choice"),
    ],
)
def test_bad_signup_input_gets_a_clear_message_and_creates_nothing(
    client, organisation, overrides, field, message
):
    response = client.post("/en/accounts/signup/", signup_data(organisation, **overrides))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert field in errors, errors
    assert message in " ".join(errors[field]).lower()
    assert message in response.content.decode().lower().replace("’", "'")
    assert not User.objects.exists()
    assert not EmailAddress.objects.exists()
    assert mail.outbox == []


# --- Profile -------------------------------------------------------------------------------------
def test_profile_requires_login(client):
    response = client.get("/en/accounts/profile/")
    assert response.status_code == 302
    assert response.url.startswith("/en/accounts/login/")


def test_profile_edit_saves(learner_client, learner):
    department = DepartmentFactory(organisation=learner.organisation, name="Economic Promotion")
    response = learner_client.post(
        "/en/accounts/profile/",
        {
            "full_name": "Lea Renamed",
            "organisation": learner.organisation_id,
            "department": department.pk,
            "job_title": "Head of unit",
            "government_level": GovernmentLevel.METROPOLITAN,
        },
    )
    assert response.status_code == 302
    learner.refresh_from_db()
    assert (learner.full_name, learner.department, learner.job_title) == (
        "Lea Renamed",
        None,  # a new department, like a new organisation, waits for HR's approval
        "Head of unit",
    )
    request = MembershipRequest.objects.get(user=learner, status="pending")
    assert (request.organisation, request.department) == (learner.organisation, department)
    assert (
        "Your profile has been saved"
        in learner_client.get("/en/accounts/profile/").content.decode()
    )


def test_profile_refuses_a_department_of_another_organisation(learner_client, learner):
    foreign = DepartmentFactory(organisation=OrganisationFactory())
    response = learner_client.post(
        "/en/accounts/profile/",
        {
            "full_name": "Lea Learner",
            "organisation": learner.organisation_id,
            "department": foreign.pk,
            "job_title": "",
            "government_level": GovernmentLevel.LOCAL,
        },
    )
    assert response.status_code == 200
    assert "Choose a department of the organisation you selected" in response.content.decode()
    learner.refresh_from_db()
    assert learner.department is None


def test_profile_cannot_change_email_or_privileges(learner_client, learner):
    learner_client.post(
        "/en/accounts/profile/",
        {
            "full_name": "Lea Learner",
            "organisation": learner.organisation_id,
            "government_level": GovernmentLevel.LOCAL,
            "email": "hijack@example.org",
            "is_staff": "on",
            "is_superuser": "on",
        },
    )
    learner.refresh_from_db()
    assert learner.email != "hijack@example.org"
    assert not learner.is_staff and not learner.is_superuser


def test_other_users_profiles_are_not_reachable(learner_client):
    other = UserFactory()
    assert learner_client.get(f"/en/accounts/profile/{other.pk}/").status_code == 404
