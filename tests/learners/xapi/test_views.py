"""The xAPI export (learner, HR in scope) and the admin's outbox and LRS screens."""

import json

import pytest
from django.urls import reverse

from learners.models import (
    LearningRecordStore,
    OutboxEntry,
    OutboxState,
    Verb,
    XapiAccount,
)
from learners.progress.services import activity_record, enrolment_create
from tests.factories import HROfficerRoleFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def recorded(learner, course_tree):
    enrolment_create(user=learner, course=course_tree.course)
    activity_record(
        actor=learner,
        verb=Verb.EXPERIENCED,
        object_type="lesson",
        object_id=course_tree.lessons[0].pk,
        object_title=course_tree.lessons[0].title,
        course_id=course_tree.course.pk,
    )
    return learner


def test_the_learner_downloads_their_own_statements(client, recorded, other_learner):
    activity_record(
        actor=other_learner,
        verb=Verb.EXPERIENCED,
        object_type="lesson",
        object_id=1,
        object_title="not yours",
    )
    client.force_login(recorded)
    response = client.get(reverse("xapi_my_statements"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert response["X-Experience-API-Version"] == "1.0.3"
    assert "attachment" in response["Content-Disposition"]
    statements = json.loads(response.content)
    assert [s["verb"]["id"] for s in statements] == [Verb.REGISTERED, Verb.EXPERIENCED]
    name = str(XapiAccount.objects.get(user=recorded).name)
    assert {s["actor"]["account"]["name"] for s in statements} == {name}
    assert recorded.email not in response.content.decode()


def test_my_data_links_the_export(client, recorded):
    client.force_login(recorded)
    page = client.get(reverse("privacy_my_data")).content.decode()
    assert reverse("xapi_my_statements") in page


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get(reverse("xapi_my_statements"))
    assert response.status_code == 302 and "login" in response["Location"]


def test_hr_in_scope_gets_the_statements_and_out_of_scope_gets_404(client, recorded):
    officer = UserFactory()
    HROfficerRoleFactory(user=officer, organisation=recorded.organisation)
    client.force_login(officer)
    url = reverse("xapi_hr_learner_statements", args=[recorded.pk])
    response = client.get(url)
    assert response.status_code == 200
    assert len(json.loads(response.content)) == 2
    assert url in client.get(reverse("hr_learner", args=[recorded.pk])).content.decode()

    elsewhere = UserFactory(organisation=OrganisationFactory())
    assert client.get(reverse("xapi_hr_learner_statements", args=[elsewhere.pk])).status_code == 404
    assert client.get(reverse("xapi_hr_learner_statements", args=[987654])).status_code == 404
    assert client.get("/en/hr/learners/99999999999999999999999/xapi.json").status_code == 404


def test_a_learner_without_an_hr_role_is_refused(client, recorded, other_learner):
    client.force_login(other_learner)
    url = reverse("xapi_hr_learner_statements", args=[recorded.pk])
    assert client.get(url).status_code == 403


@pytest.fixture
def dead_entry(recorded):
    lrs = LearningRecordStore.objects.create(
        name="analytics", endpoint="http://127.0.0.1:9/xAPI/", key="k", secret_env="XAPI_SECRET_X"
    )
    event = activity_record(
        actor=recorded, verb=Verb.COMPLETED, object_type="lesson", object_id=1, object_title="L"
    )
    entry = OutboxEntry.objects.get(event=event, lrs=lrs)
    OutboxEntry.objects.filter(pk=entry.pk).update(
        state=OutboxState.DEAD, attempts=8, last_error="HTTP 503: unavailable"
    )
    return entry


def test_administrators_see_the_outbox_and_retry_dead_statements(superuser_client, dead_entry):
    url = reverse("xapi_outbox")
    page = superuser_client.get(url).content.decode()
    assert "analytics" in page and "HTTP 503: unavailable" in page
    assert str(dead_entry.statement_id) in page
    pending = superuser_client.get(url, {"state": "pending"}).content.decode()
    assert str(dead_entry.statement_id) not in pending
    response = superuser_client.post(url, {"entry": [str(dead_entry.pk)], "state": "dead"})
    assert response.status_code == 302
    dead_entry.refresh_from_db()
    assert (dead_entry.state, dead_entry.attempts, dead_entry.last_error) == ("pending", 0, "")


def test_retry_all_dead_of_one_lrs_and_nonsense_input_is_a_message(superuser_client, dead_entry):
    url = reverse("xapi_outbox")
    assert superuser_client.post(url, {"entry": ["x", "-1"], "state": "bogus"}).status_code == 302
    dead_entry.refresh_from_db()
    assert dead_entry.state == OutboxState.DEAD
    superuser_client.post(url, {"lrs": [str(dead_entry.lrs_id)]})
    dead_entry.refresh_from_db()
    assert dead_entry.state == OutboxState.PENDING
    assert superuser_client.get(url, {"state": "nonsense", "p": "zz"}).status_code == 200


def test_only_administrators_reach_the_outbox(client, dead_entry):
    url = reverse("xapi_outbox")
    assert client.get(url).status_code == 302  # the admin's sign-in
    editor = UserFactory(is_staff=True)
    from django.contrib.auth.models import Permission

    editor.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(editor)
    assert client.get(url).status_code == 403
    assert client.post(url, {"lrs": [str(dead_entry.lrs_id)]}).status_code == 403
    dead_entry.refresh_from_db()
    assert dead_entry.state == OutboxState.DEAD


def test_the_lrs_form_takes_an_environment_variable_name_never_a_secret(
    superuser_client, monkeypatch
):
    monkeypatch.setenv("XAPI_LRS_SECRET_ANALYTICS", "very-secret-value")
    add = reverse("learning_record_stores:add")
    refused = superuser_client.post(
        add,
        {
            "name": "analytics",
            "endpoint": "https://lrs.example.org/xAPI/",
            "key": "capacitas",
            "secret_env": "very-secret-value",
            "active": "on",
        },
    )
    assert refused.status_code == 200 and not LearningRecordStore.objects.exists()
    superuser_client.post(
        add,
        {
            "name": "analytics",
            "endpoint": "https://lrs.example.org/xAPI/",
            "key": "capacitas",
            "secret_env": "XAPI_LRS_SECRET_ANALYTICS",
            "verbs": [Verb.PASSED.value, Verb.FAILED.value],
            "active": "on",
        },
    )
    lrs = LearningRecordStore.objects.get()
    assert lrs.verbs == [Verb.PASSED.value, Verb.FAILED.value]
    edit = superuser_client.get(reverse("learning_record_stores:edit", args=[lrs.pk]))
    assert edit.status_code == 200
    assert "very-secret-value" not in edit.content.decode()
