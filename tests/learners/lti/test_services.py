"""Unit tests of the LTI room's services and selectors."""

from datetime import timedelta

import pytest
from django.db import IntegrityError
from django.utils import timezone
from lti_tool.models import LtiRegistration

from learners.lti import services
from learners.lti.models import LtiAccount, LtiNonce
from learners.lti.selectors import (
    launch_target,
    page_id_from_launch,
    picker_courses,
    registered_origins,
)
from learners.lti.services import LaunchPerson, account_for_launch, nonce_consume
from tests.factories import UserFactory, make_course, make_quiz

pytestmark = pytest.mark.django_db


@pytest.fixture
def registration(db):
    return LtiRegistration.objects.create(
        name="P",
        issuer="https://lms.example",
        client_id="c",
        auth_url="https://login.lms.example/auth",
        token_url="https://lms.example/token",
        keyset_url="https://lms.example/jwks",
    )


def test_account_is_created_once_per_issuer_and_sub(registration):
    person = LaunchPerson(issuer="https://lms.example", sub="s1", email="a@x.org", name="A B")
    first = account_for_launch(registration=registration, person=person)
    again = account_for_launch(registration=registration, person=person)
    assert first == again and first.email == "a@x.org" and first.full_name == "A B"
    assert LtiAccount.objects.count() == 1


def test_the_constraint_refuses_a_duplicate_link(registration):
    user = UserFactory()
    LtiAccount.objects.create(issuer="i", sub="s", user=user)
    with pytest.raises(IntegrityError):
        LtiAccount.objects.create(issuer="i", sub="s", user=UserFactory())


def test_a_concurrent_first_launch_reads_the_winner(registration, monkeypatch):
    """The race: another request committed the link after our first read missed it."""
    person = LaunchPerson(issuer="https://lms.example", sub="race")
    winner = UserFactory()
    LtiAccount.objects.create(issuer=person.issuer, sub=person.sub, user=winner)
    real_select_related = LtiAccount.objects.select_related
    calls = []

    def first_read_misses(*fields):
        calls.append(fields)
        if len(calls) == 1:
            return LtiAccount.objects.none()
        return real_select_related(*fields)

    monkeypatch.setattr(LtiAccount.objects, "select_related", first_read_misses)
    user = account_for_launch(registration=registration, person=person)
    assert user == winner
    assert LtiAccount.objects.filter(sub="race").count() == 1
    assert len(calls) == 2  # the miss, then the read after the constraint refused the insert


def test_a_platform_cannot_take_over_a_local_account_by_email(registration):
    local = UserFactory(email="boss@ministry.example")
    person = LaunchPerson(issuer="https://lms.example", sub="s2", email="boss@ministry.example")
    user = account_for_launch(registration=registration, person=person)
    assert user != local
    assert user.email.endswith("@lti.invalid")
    assert not user.has_usable_password()


def test_no_email_gets_a_stable_placeholder(registration):
    person = LaunchPerson(issuer="https://lms.example", sub="s3")
    user = account_for_launch(registration=registration, person=person)
    assert user.email.endswith("@lti.invalid")


def test_nonce_is_accepted_once_per_issuer():
    assert nonce_consume(issuer="i", nonce="n")
    assert not nonce_consume(issuer="i", nonce="n")
    assert nonce_consume(issuer="j", nonce="n")


def test_old_nonces_are_purged():
    nonce_consume(issuer="i", nonce="old")
    LtiNonce.objects.update(used_at=timezone.now() - timedelta(days=3))
    nonce_consume(issuer="i", nonce="new")
    assert services.nonces_purge() == 1
    assert list(LtiNonce.objects.values_list("nonce", flat=True)) == ["new"]


@pytest.mark.parametrize(
    ("custom", "target", "expected"),
    [
        ({"page_id": "12"}, None, 12),
        (None, "https://c.example/lti/launch/?page=7", 7),
        ({"page_id": "12"}, "https://c.example/lti/launch/?page=7", 12),
        ({}, "https://c.example/lti/launch/", None),
        ({"page_id": "x"}, None, None),
        ({"page_id": "-3"}, None, None),
        ({"page_id": str(2**70)}, None, None),
    ],
)
def test_page_id_from_launch(custom, target, expected):
    assert page_id_from_launch(custom, target) == expected


def test_launch_targets_are_courses_lessons_and_quizzes():
    tree = make_course(modules=1, lessons_per_module=1)
    quiz = make_quiz(tree.course, questions=1)
    assert launch_target(tree.course.pk).kind == "course"
    assert launch_target(tree.lessons[0].pk).kind == "lesson"
    assert launch_target(quiz.pk).kind == "quiz"
    assert launch_target(tree.modules[0].pk) is None  # a module is not a target
    assert launch_target(tree.course.get_parent().pk) is None
    assert launch_target(999_999) is None
    tree.lessons[0].unpublish()
    assert launch_target(tree.lessons[0].pk) is None


def test_picker_lists_published_courses_with_their_lessons_and_quizzes():
    tree = make_course(modules=1, lessons_per_module=2, title="Procurement")
    quiz = make_quiz(tree.course, questions=1, title="Final")
    [course] = [c for c in picker_courses() if c.id == tree.course.pk]
    assert course.title == "Procurement"
    assert [(i.id, i.kind) for i in course.items] == [
        (tree.lessons[0].pk, "lesson"),
        (tree.lessons[1].pk, "lesson"),
        (quiz.pk, "quiz"),
    ]


def test_registered_origins_are_those_of_active_registrations(registration):
    LtiRegistration.objects.create(
        name="off",
        issuer="https://off.example",
        client_id="c",
        auth_url="https://off.example/a",
        token_url="https://off.example/t",
        keyset_url="https://off.example/k",
        is_active=False,
    )
    assert registered_origins() == ["https://lms.example", "https://login.lms.example"]


def test_export_and_erasure_include_the_lti_links(registration):
    from learners.lti.selectors import lti_export
    from learners.lti.services import lti_erase
    from learners.privacy.contributors import PrivacyContributor  # noqa: F401 (registered)

    person = LaunchPerson(issuer="https://lms.example", sub="s-priv")
    user = account_for_launch(registration=registration, person=person)
    [(name, content, _description)] = lti_export(user)
    assert name == "lti_accounts.json" and b"s-priv" in content
    lti_erase(user=user)
    assert not LtiAccount.objects.filter(user=user).exists()
    assert lti_export(user) == []


def test_lti_joins_the_privacy_contributors():
    from learners.privacy import contributors

    assert "lti" in {c.name for c in contributors._contributors}


def test_the_daily_retention_command_purges_old_nonces():
    import io

    from django.core.management import call_command

    nonce_consume(issuer="i", nonce="old")
    LtiNonce.objects.update(used_at=timezone.now() - timedelta(days=3))
    nonce_consume(issuer="i", nonce="new")
    out = io.StringIO()
    call_command("purge_expired_records", stdout=out)
    assert "lti: 1" in out.getvalue()
    assert list(LtiNonce.objects.values_list("nonce", flat=True)) == ["new"]
