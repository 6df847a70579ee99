"""HR's membership queue in a browser: approve a request, preview a CSV of invitations with a bad
row; axe finds nothing serious on any of the pages."""

import pytest

from learners.accounts.services import membership_request_submit
from learners.models import HROfficerRole, Invitation
from tests.browser.conftest import assert_accessible, log_in
from tests.factories import PASSWORD, DepartmentFactory, OrganisationFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_hr_approves_a_request_and_previews_invitations(page, tmp_path):
    town = OrganisationFactory(name="Municipality of Port Esmer")
    DepartmentFactory(organisation=town, name="Culture")
    officer = UserFactory(email="hr@example.org", full_name="Hana Rezaei", organisation=town)
    HROfficerRole.objects.create(user=officer, organisation=town)
    newcomer = UserFactory(full_name="Nadia Newcomer", organisation=None)
    membership_request_submit(user=newcomer, organisation=town, department=None)

    log_in(page, "hr@example.org", PASSWORD)
    page.goto("/en/hr/")
    page.get_by_role("link", name="Members 1 request").click()
    assert page.get_by_role("heading", name="1 request waiting").is_visible()
    assert_accessible(page, context="HR members queue")
    page.get_by_role("button", name="Approve Nadia Newcomer").click()
    assert page.get_by_text("Nadia Newcomer is now a member").is_visible()
    newcomer.refresh_from_db()
    assert newcomer.organisation == town

    csv_file = tmp_path / "people.csv"
    csv_file.write_text(
        "name,email,department,job_title\nIda Ok,ida@example.org,Culture,\nBad,nope,,\n",
        encoding="utf-8",
    )
    page.goto("/en/hr/members/invite/csv/")
    assert_accessible(page, context="HR invitation CSV form")
    page.get_by_label("Organisation", exact=True).select_option(label="Municipality of Port Esmer")
    page.get_by_label("CSV file").set_input_files(str(csv_file))
    page.get_by_role("button", name="Check the file").click()
    assert page.get_by_text("1 row has an error").is_visible()
    assert page.get_by_text("“nope” is not an e-mail address.").is_visible()
    assert_accessible(page, context="HR invitation CSV preview with an error")
    assert not Invitation.objects.exists()
