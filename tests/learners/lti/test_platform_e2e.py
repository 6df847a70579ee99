"""End to end against a real LTI 1.3 platform (lti1p3platform on loopback): launch, re-launch,
deep linking, AGS scores received by the platform, and refused launches."""

import pytest
from django.contrib.auth import get_user_model

from learners.lti.models import LtiAccount
from learners.progress.models import Enrolment, EnrolmentSource
from tests.factories import make_course
from tests.learners.lti.conftest import launch

pytestmark = pytest.mark.django_db


def test_launch_creates_account_enrols_and_lands_on_the_lesson(client, platform, registration):
    tree = make_course()
    lesson = tree.lessons[1]
    response, _form = launch(
        client, platform, user_id="u-42", page_id=lesson.pk, name="Ana Díaz", email="ana@x.org"
    )
    assert response.status_code == 302, response.content[:800]
    assert response["Location"] == lesson.get_url()
    account = LtiAccount.objects.get(issuer=platform.issuer, sub="u-42")
    assert account.user.full_name == "Ana Díaz"
    enrolment = Enrolment.objects.get(user=account.user, course=tree.course)
    assert enrolment.source == EnrolmentSource.LTI
    # Signed in: the lesson opens for the launched person.
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert page.wsgi_request.user == account.user


def test_relaunch_finds_the_same_account(client, platform, registration):
    tree = make_course()
    first, _ = launch(client, platform, user_id="u-7", page_id=tree.course.pk)
    client.logout()
    second, _ = launch(client, platform, user_id="u-7", page_id=tree.lessons[0].pk)
    assert first.status_code == second.status_code == 302
    assert LtiAccount.objects.filter(sub="u-7").count() == 1
    assert get_user_model().objects.filter(lti_accounts__sub="u-7").count() == 1
    assert Enrolment.objects.filter(course=tree.course).count() == 1
