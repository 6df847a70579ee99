"""xAPI journeys: a learner downloads their statements from My data; an administrator sends a
dead statement again from the outbox. Both pages pass axe (serious/critical) and fit 390 px."""

import json

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django.test import Client

from learners.models import LearningRecordStore, OutboxEntry, OutboxState, Verb, XapiAccount
from learners.progress.services import activity_record, enrolment_create
from tests.browser.conftest import assert_accessible
from tests.factories import UserFactory, make_course

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def signed_in(page, live_server, user) -> None:
    """A session made by Django's test client, handed to the browser (no login form to drive),
    and room for a slow, shared machine: navigation may take up to a minute."""
    page.set_default_navigation_timeout(60_000)
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )


def test_learner_downloads_their_xapi_statements_from_my_data(page, live_server):
    learner = UserFactory(email="lea@example.org", full_name="Lea Learner")
    tree = make_course(modules=1, lessons_per_module=1)
    enrolment_create(user=learner, course=tree.course)
    signed_in(page, live_server, learner)
    page.goto("/en/learn/my-data/")
    assert_accessible(page, context="My data")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download my activity as xAPI (JSON)").click()
    statements = json.loads(open(download.value.path(), encoding="utf-8").read())  # noqa: SIM115
    assert [s["verb"]["id"] for s in statements] == [Verb.REGISTERED]
    assert statements[0]["actor"]["account"]["name"] == str(
        XapiAccount.objects.get(user=learner).name
    )


def test_administrator_sends_a_dead_statement_again(page, live_server):
    learner = UserFactory()
    lrs = LearningRecordStore.objects.create(
        name="analytics", endpoint="http://127.0.0.1:9/xAPI/", key="k", secret_env="XAPI_NONE"
    )
    event = activity_record(
        actor=learner, verb=Verb.COMPLETED, object_type="lesson", object_id=1, object_title="L1"
    )
    OutboxEntry.objects.filter(event=event).update(
        state=OutboxState.DEAD, attempts=8, last_error="HTTP 503: unavailable"
    )
    signed_in(page, live_server, UserFactory(is_staff=True, is_superuser=True))
    page.goto("/admin/xapi/outbox/")
    assert page.get_by_text("HTTP 503: unavailable").is_visible()
    # Our part of the screen (Wagtail's own chrome is Wagtail's): no serious axe violation.
    results = Axe().run(page, context=".nice-padding")
    serious = [
        v for v in results.response["violations"] if v.get("impact") in ("serious", "critical")
    ]
    assert not serious, [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in serious]
    entry = OutboxEntry.objects.get(event=event, lrs=lrs)
    page.get_by_label(f"Select statement {entry.statement_id}").check()
    page.get_by_role("button", name="Send the selected statements again").click()
    page.get_by_text("1 statement will be sent again.").wait_for()
    entry.refresh_from_db()
    # Sent again at once through the immediate task backend; nothing listens on port 9, so it
    # waits as pending, its attempts counted afresh.
    assert entry.state == OutboxState.PENDING and entry.attempts <= 1
