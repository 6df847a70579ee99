"""axe on the Wagtail lesson editor: the inputs of our own lesson blocks must be named; what
remains is Wagtail's own markup (Draftail rich text, its block chrome), listed for the record."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django.test import Client

from tests.factories import UserFactory, make_course

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

TAKEAWAYS = [
    {"type": "paragraph", "value": "<p>Rich text, edited in Wagtail's Draftail.</p>"},
    {
        "type": "takeaways",
        "value": {"title": "Key takeaways", "items": ["Plan first.", "Report back."]},
    },
]


def test_lesson_editor_blocks_name_their_inputs(page, live_server):
    tree = make_course(modules=1, lessons_per_module=1)
    lesson = tree.lessons[0]
    lesson.body = TAKEAWAYS
    lesson.save_revision().publish()
    admin = UserFactory(email="ada@example.org", is_staff=True, is_superuser=True)
    # A session made by Django's test client, handed to the browser: no login form to drive.
    client = Client()
    client.force_login(admin)
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    page.goto(f"/admin/pages/{lesson.pk}/edit/")
    items = page.get_by_role("textbox", name="Takeaway")
    items.first.wait_for()
    assert items.count() == 2
    results = Axe().run(page)
    serious = [
        v for v in results.response["violations"] if v.get("impact") in ("serious", "critical")
    ]
    named = {"label", "aria-input-field-name"}
    ours = [
        node["target"]
        for v in serious
        if v["id"] in named
        for node in v["nodes"]
        if "takeaways" in str(node["target"]) or "items" in str(node["target"])
    ]
    print("lesson editor axe findings:", [(v["id"], v["impact"], len(v["nodes"])) for v in serious])
    assert not ours, ours
