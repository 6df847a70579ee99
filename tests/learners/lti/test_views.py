"""Request tests of every LTI view, refusals included, and the framing headers."""

import pytest
from django.core.management import call_command
from lti_tool.models import Key, LtiRegistration

from learners.lti.framing import SESSION_REGISTRATION
from tests.factories import UserFactory, make_course

pytestmark = pytest.mark.django_db

PLATFORM = "https://moodle.example.org"


@pytest.fixture
def moodle(db):
    return LtiRegistration.objects.create(
        name="Moodle",
        issuer=PLATFORM,
        client_id="abc",
        auth_url=f"{PLATFORM}/mod/lti/auth.php",
        token_url=f"{PLATFORM}/mod/lti/token.php",
        keyset_url=f"{PLATFORM}/mod/lti/certs.php",
    )


def _frame_ancestors(response) -> str:
    policy = response["Content-Security-Policy"]
    return next(part for part in policy.split(";") if "frame-ancestors" in part)


def test_jwks_serves_a_key_and_rotation_adds_the_next(client):
    first = client.get("/lti/jwks.json")
    assert first.status_code == 200
    [key] = first.json()["keys"]
    assert key["alg"] == "RS256" and key["use"] == "sig" and "d" not in key
    call_command("rotate_keys", "--deactivate-after", "0")
    keys = client.get("/lti/jwks.json").json()["keys"]
    # the old key is deactivated only once older than --deactivate-after days: here at once
    assert {k["kid"] for k in keys} and key["kid"] not in {k["kid"] for k in keys}
    assert Key.objects.count() == 2


def test_jwks_keeps_the_previous_key_during_the_grace_period(client):
    client.get("/lti/jwks.json")
    call_command("rotate_keys")  # default: keys younger than 7 days stay published
    assert len(client.get("/lti/jwks.json").json()["keys"]) == 2


def test_jwks_has_no_language_prefix(client):
    assert client.get("/en/lti/jwks.json").status_code == 404


def test_login_without_issuer_is_a_400(client, moodle):
    response = client.get("/lti/login/", {"target_link_uri": "http://testserver/lti/launch/"})
    assert response.status_code == 400
    assert "missing its issuer" in response.content.decode()


def test_login_first_shows_the_cookie_check_page(client, moodle):
    response = client.get(
        "/lti/login/",
        {"iss": PLATFORM, "login_hint": "u1", "target_link_uri": "http://testserver/lti/launch/"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "data-lti-cookie-check" in html and "lti1p3_new_window=1" in html
    assert "<script>" not in html  # no inline script: the CSP stays strict
    assert PLATFORM in _frame_ancestors(response)
    assert "X-Frame-Options" not in response


def test_login_redirects_to_the_platform_with_state_and_nonce(client, moodle):
    response = client.get(
        "/lti/login/",
        {
            "iss": PLATFORM,
            "client_id": "abc",
            "login_hint": "u1",
            "target_link_uri": "http://testserver/lti/launch/?page=3",
            "lti1p3_new_window": "1",
        },
    )
    assert response.status_code == 302
    location = response["Location"]
    assert location.startswith(f"{PLATFORM}/mod/lti/auth.php?")
    assert "nonce=" in location and "state=" in location
    assert "redirect_uri=http%3A%2F%2Ftestserver%2Flti%2Flaunch%2F" in location
    assert any(name.startswith("lti1p3-state-") for name in response.cookies)


def test_login_from_an_unknown_issuer_is_a_403(client, moodle):
    response = client.get(
        "/lti/login/",
        {
            "iss": "https://unknown.example",
            "login_hint": "u1",
            "target_link_uri": "http://testserver/lti/launch/",
            "lti1p3_new_window": "1",
        },
    )
    assert response.status_code == 403
    assert "not registered" in response.content.decode()


def test_login_from_an_inactive_registration_is_a_403(client, moodle):
    moodle.is_active = False
    moodle.save()
    response = client.get(
        "/lti/login/",
        {
            "iss": PLATFORM,
            "client_id": "abc",
            "login_hint": "u1",
            "target_link_uri": "http://testserver/lti/launch/",
            "lti1p3_new_window": "1",
        },
    )
    assert response.status_code == 403


def test_launch_refuses_get(client):
    assert client.get("/lti/launch/").status_code == 405


def test_launch_without_state_is_a_400(client, moodle):
    response = client.post("/lti/launch/", {"id_token": "a.b.c"})
    assert response.status_code == 400
    assert "state" in response.content.decode()
    assert PLATFORM in _frame_ancestors(response)


def test_launch_with_garbage_token_is_a_4xx(client, moodle):
    client.cookies["lti1p3-state-x"] = "state-x"
    response = client.post("/lti/launch/", {"id_token": "not-a-jwt", "state": "state-x"})
    assert response.status_code in (400, 403)
    assert b"refused" in response.content


def test_deep_link_choice_without_launch_is_a_400(client):
    response = client.post("/lti/deep-link/", {"launch_id": "nope", "page_id": "1"})
    assert response.status_code == 400


def test_deep_link_choice_with_expired_launch_is_a_400(client):
    response = client.post(
        "/lti/deep-link/", {"launch_id": "lti1p3-launch-00000000", "page_id": "1"}
    )
    assert response.status_code == 400
    assert "expired" in response.content.decode()


def test_deep_link_choice_refuses_get(client):
    assert client.get("/lti/deep-link/").status_code == 405


def test_pages_of_an_lti_session_may_be_framed_by_that_platform_only(client, moodle):
    tree = make_course()
    user = UserFactory()
    client.force_login(user)
    plain = client.get(tree.course.get_url())
    assert PLATFORM not in _frame_ancestors(plain)
    assert plain["X-Frame-Options"] == "SAMEORIGIN"
    session = client.session
    session[SESSION_REGISTRATION] = moodle.pk
    session.save()
    framed = client.get(tree.course.get_url())
    assert framed.status_code == 200
    assert _frame_ancestors(framed).split() == ["frame-ancestors", "'self'", PLATFORM]
    assert "X-Frame-Options" not in framed


def test_an_inactive_platform_may_not_frame(client, moodle):
    tree = make_course()
    client.force_login(UserFactory())
    session = client.session
    session[SESSION_REGISTRATION] = moodle.pk
    session.save()
    moodle.is_active = False
    moodle.save()
    response = client.get(tree.course.get_url())
    assert PLATFORM not in _frame_ancestors(response)
    assert response["X-Frame-Options"] == "SAMEORIGIN"


def test_registrations_in_the_wagtail_admin_are_for_superusers(client, moodle):
    editor = UserFactory(is_staff=True)
    from django.contrib.auth.models import Permission

    editor.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(editor)
    assert client.get("/admin/lti_registrations/").status_code in (302, 403)
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    listing = client.get("/admin/lti_registrations/")
    assert listing.status_code == 200
    assert "Moodle" in listing.content.decode()
    assert client.get("/admin/lti_deployments/").status_code == 200
