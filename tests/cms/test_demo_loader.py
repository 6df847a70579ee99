"""`load_demo` builds the flagship course and demo accounts, and a second run changes nothing."""

import io
import re
from html import unescape

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group
from django.core.management import call_command
from wagtail.images.models import Image
from wagtail.models import Page, Revision, Workflow

from cms.demo.site import FLAGSHIP_SLUG
from courses.models import CoursePage, LessonPage, ModulePage, Topic
from learners.models import (
    ActivityEvent,
    Certificate,
    Department,
    Enrolment,
    IssuedCredential,
    LessonProgress,
    Organisation,
    User,
)

pytestmark = pytest.mark.django_db

NON_TEXT_BLOCKS = {"case_study", "callout", "reflection", "takeaways"}
TAG = re.compile(r"<[^>]+>")
DEMO_EMAILS = [
    "learner@example.org",
    "trainer@example.org",
    "editor@example.org",
    "hr@example.org",
    "admin@example.org",
]


def counts() -> dict[str, int]:
    return {
        "pages": Page.objects.count(),
        "revisions": Revision.objects.count(),
        "users": User.objects.count(),
        "organisations": Organisation.objects.count(),
        "departments": Department.objects.count(),
        "enrolments": Enrolment.objects.count(),
        "progress": LessonProgress.objects.count(),
        "activity": ActivityEvent.objects.count(),
        "topics": Topic.objects.count(),
        "images": Image.objects.count(),
        "groups": Group.objects.count(),
        "workflows": Workflow.objects.count(),
        "emails": EmailAddress.objects.count(),
        "certificates": Certificate.objects.count(),
        "credentials": IssuedCredential.objects.count(),
    }


def block_text(value) -> str:
    """All human-readable text in a block value (StructValue, list, rich text, plain text)."""
    if hasattr(value, "source"):  # RichText
        return unescape(TAG.sub(" ", value.source))
    if isinstance(value, dict) or hasattr(value, "items") and callable(value.items):
        return " ".join(block_text(v) for v in value.values())
    if (
        isinstance(value, (list, tuple))
        or hasattr(value, "__iter__")
        and not isinstance(value, (str, bytes))
    ):
        try:
            return " ".join(block_text(v) for v in value)
        except TypeError:
            return ""
    if isinstance(value, str):
        return unescape(TAG.sub(" ", value))
    return ""


def word_count(lesson: LessonPage) -> int:
    text = " ".join(block_text(block.value) for block in lesson.body)
    return len(re.findall(r"\b[\w'’-]+\b", text))


def test_load_demo_twice_gives_the_same_counts(settings):
    call_command("load_demo", verbosity=0)
    first = counts()
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    second = counts()
    assert first == second
    for email in DEMO_EMAILS:  # make run shows the logins
        assert email in out.getvalue()
    assert "DEMO_PASSWORD" in out.getvalue()
    assert first["users"] >= 5 + 30
    assert first["organisations"] >= 3
    assert first["enrolments"] > 0 and first["progress"] > 0 and first["activity"] > 0
    # The HR dashboard's tallies agree with the demo's records (and are not empty).
    from learners.hr.tallies import tallies_current, tallies_expected

    assert tallies_current() == tallies_expected() != {}
    # Every demo certificate is also a signed Open Badges credential.
    assert first["certificates"] > 0 and first["credentials"] == first["certificates"]

    # --- the SCORM self-check of the networks course, played to the end by the demo learner ----
    from cms.demo.scorm import LESSON_SLUG as SCORM_SLUG
    from courses.models import ScormLessonPage
    from learners.models import ScormAttempt

    scorm = ScormLessonPage.objects.get(slug=SCORM_SLUG, locale__language_code="en")
    assert scorm.live and scorm.package is not None
    played = ScormAttempt.objects.get(enrolment__user__email="learner@example.org", lesson=scorm)
    assert played.score_percent == 100 and played.completed_at is not None

    # --- the flagship course -------------------------------------------------------------------
    course = CoursePage.objects.get(slug=FLAGSHIP_SLUG)
    assert course.live
    assert course.title == "Planning and managing the international action of local governments"
    modules = ModulePage.objects.child_of(course).live()
    assert modules.count() >= 6
    lessons = list(LessonPage.objects.descendant_of(course).live())
    assert len(lessons) >= 18
    short, without_activity = [], []
    for lesson in lessons:
        if word_count(lesson) < 300:
            short.append((lesson.title, word_count(lesson)))
        if not {block.block_type for block in lesson.body} & NON_TEXT_BLOCKS:
            without_activity.append(lesson.title)
    assert not short, f"lessons under 300 words: {short}"
    assert not without_activity, f"lessons without a non-text block: {without_activity}"

    # --- demo accounts, one per role, verified, sharing DEMO_PASSWORD ----------------------------
    for email in DEMO_EMAILS:
        user = User.objects.get(email=email)
        assert user.check_password(settings.DEMO_PASSWORD), email
        assert EmailAddress.objects.get(user=user, email=email).verified, email
        assert user.organisation is not None
    assert User.objects.get(email="admin@example.org").is_superuser
    assert User.objects.filter(email="trainer@example.org", groups__name="Trainers").exists()
    assert User.objects.filter(email="editor@example.org", groups__name="Course editors").exists()
    assert not User.objects.get(email="learner@example.org").is_staff
    assert Enrolment.objects.filter(user__email="learner@example.org", course=course).exists()

    # --- everything is fictional -----------------------------------------------------------------
    for organisation in Organisation.objects.all():
        assert organisation.email_domain.endswith(".example"), organisation.name
    for user in User.objects.all():
        assert user.email.endswith((".example", "@example.org")), user.email


def test_flagship_lessons_render_for_the_enrolled_demo_learner(client):
    call_command("load_demo", verbosity=0)
    client.force_login(User.objects.get(email="learner@example.org"))
    course = CoursePage.objects.get(slug=FLAGSHIP_SLUG)
    assert client.get(course.url).status_code == 200
    for lesson in LessonPage.objects.descendant_of(course).live()[:3]:
        assert client.get(lesson.url).status_code == 200, lesson.url
    # The networks course's SCORM self-check shows with its score on My learning, and to the
    # demo HR officer on the learner's page.
    learner = User.objects.get(email="learner@example.org")
    section = client.get("/en/learn/").content.decode().split("SCORM lessons")[1][:600]
    assert "completed · score 100.0\u00a0% (passed)" in section
    client.force_login(User.objects.get(email="hr@example.org"))
    hr_page = client.get(f"/en/hr/learners/{learner.pk}/").content.decode()
    assert 'id="scorm-heading"' in hr_page and "100.0\u00a0%" in hr_page
