"""The privacy notice: a Wagtail page editors change, linked from every footer and the sign-up."""

import pytest
from django.urls import reverse

from cms.demo.site import ensure_home
from cms.models import StandardPage
from tests.factories import wagtail_roots

pytestmark = pytest.mark.django_db


def test_demo_site_has_an_editable_notice_reached_from_footer_and_signup(client):
    wagtail_roots()
    ensure_home()
    ensure_home()  # idempotent: one notice page
    notice = StandardPage.objects.get(slug="privacy")
    assert notice.live
    response = client.get(reverse("privacy_notice"))
    assert response.status_code == 302 and response["Location"] == notice.url
    page = client.get(notice.url)
    assert page.status_code == 200 and "How long we keep it" in page.content.decode()
    signup = client.get(reverse("account_signup")).content.decode()
    assert signup.count(f'href="{reverse("privacy_notice")}"') == 2  # footer and form
    home = client.get("/en/").content.decode()
    assert home.count(f'href="{reverse("privacy_notice")}"') == 1


def test_without_a_notice_page_the_link_answers_404(client):
    assert client.get(reverse("privacy_notice")).status_code == 404
