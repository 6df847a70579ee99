"""A learner earns a certificate, downloads its Open Badge and signed credential from My
learning, and anyone checks the credential's status on the verification page."""

import base64
import json
import re
from urllib.parse import urlsplit

import pytest
from jwcrypto import jwk
from openbadgeslib.ob3.verifier import OB3Verifier

from learners.progress.services import enrolment_create, lesson_complete
from tests.browser.conftest import assert_accessible, log_in
from tests.factories import PASSWORD, UserFactory, make_course

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_credential_journey(page, live_server):
    tree = make_course(modules=1, lessons_per_module=2, title="Twinning for cities")
    learner = UserFactory(email="amara@example.org", full_name="Amara Okafor")
    enrolment, _ = enrolment_create(user=learner, course=tree.course)
    lesson_complete(user=learner, enrolment=enrolment, lesson=tree.lessons[0])

    log_in(page, learner.email, PASSWORD)
    page.goto(tree.lessons[-1].url)
    page.get_by_role("button", name="Mark as complete").click()
    page.wait_for_load_state()

    page.goto("/en/learn/")
    certificates = page.locator("section.certificates")
    certificates.get_by_role("heading", name="Twinning for cities").wait_for()
    assert_accessible(page, context="/learn/ with a credential")
    with page.expect_download() as download_info:
        certificates.get_by_role("link", name=re.compile("Open Badge")).click()
    with open(download_info.value.path(), "rb") as handle:
        token = OB3Verifier.extract_token_from_svg(handle.read())

    def fetch(url: str) -> bytes:  # the credential names SITE_URL; fetch from the live server
        response = page.request.get(live_server.url + urlsplit(url).path)
        assert response.ok, url
        return response.body()

    header = json.loads(base64.urlsafe_b64decode(token.split(".")[0] + "==").decode())
    keys = json.loads(fetch("/.well-known/jwks.json"))["keys"]
    (key,) = [k for k in keys if k["kid"] == header["kid"]]
    verifier = OB3Verifier(pubkey_pem=jwk.JWK(**key).export_to_pem())
    credential = verifier.verify(token, check_status=True, download=fetch)
    assert credential.achievement.name == "Twinning for cities"

    verify_href = certificates.get_by_role(
        "link", name=re.compile("Verification page")
    ).get_attribute("href")
    page.get_by_role("button", name="Log out").click()
    page.wait_for_load_state()
    page.goto(verify_href)
    section = page.locator("section.credential-status")
    section.get_by_role("heading", name="Open Badges credential").wait_for()
    assert section.get_by_text("Valid", exact=True).is_visible()
    assert_accessible(page, context="verification page with a credential")
    with page.expect_download() as download_info:
        section.get_by_role("link", name="Download the credential (JSON)").click()
    with open(download_info.value.path(), "rb") as handle:
        document = json.loads(handle.read())
    assert document["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert "amara@example.org" not in json.dumps(document)
