"""Writes of the LTI room: accounts for launched people, used nonces, grade links, scores."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from lti_tool.models import Key, LtiRegistration
from pylti1p3.assignments_grades import AssignmentsGradesService
from pylti1p3.grade import Grade
from pylti1p3.lineitem import LineItem
from pylti1p3.service_connector import ServiceConnector
from wagtail.models import Page

from learners.accounts.models import User
from learners.common.page_state import learner_pages_changed
from learners.lti.models import LtiAccount, LtiGradeLink, LtiNonce

logger = logging.getLogger(__name__)

SCORE_SCOPE = "https://purl.imsglobal.org/spec/lti-ags/scope/score"
NONCE_KEEP = timedelta(days=2)


def tool_key_ensure() -> Key:
    """The tool's newest active key pair, created on first use (rotate with `rotate_keys`)."""
    with transaction.atomic():
        key = Key.objects.active().order_by("-datetime_created").first()
        if key is None:
            key = Key.objects.generate()
    return key


def nonce_consume(*, issuer: str, nonce: str) -> bool:
    """Record a launch's nonce; False when it was used before (a replayed id_token)."""
    try:
        with transaction.atomic():
            LtiNonce.objects.create(issuer=issuer, nonce=nonce)
    except IntegrityError:
        return False
    return True


def nonces_purge(*, now=None) -> int:
    """Forget nonces older than any id_token could be (platforms sign them for minutes)."""
    now = now or timezone.now()
    deleted, _ = LtiNonce.objects.filter(used_at__lt=now - NONCE_KEEP).delete()
    return deleted


@dataclass(frozen=True)
class LaunchPerson:
    issuer: str
    sub: str
    email: str = ""
    name: str = ""


def _placeholder_email(issuer: str, sub: str) -> str:
    # A platform may withhold the e-mail (privacy settings): the account still needs a unique
    # one. It is not deliverable (.invalid, RFC 2606) and never shown as a real address.
    import hashlib

    digest = hashlib.sha256(f"{issuer}\n{sub}".encode()).hexdigest()[:24]
    return f"lti-{digest}@lti.invalid"


def account_for_launch(*, registration: LtiRegistration, person: LaunchPerson) -> User:
    """The Capacitas account of a platform's user: found by (issuer, sub), else created.

    Race-safe: two launches at once for the same person meet the (issuer, sub) constraint and
    the second reads the first's row. An existing local account with the platform's e-mail is
    NOT taken over (a platform could claim anyone's address): the new account gets the
    placeholder address instead.
    """
    now = timezone.now()
    existing = (
        LtiAccount.objects.select_related("user").filter(issuer=person.issuer, sub=person.sub)
    ).first()
    if existing is not None:
        _touch(existing, person, now)
        return existing.user
    email = (person.email or "").strip().lower()
    if not email or User.objects.filter(email=email).exists():
        email = _placeholder_email(person.issuer, person.sub)
    try:
        with transaction.atomic():
            user = User.objects.filter(email=email).first()
            if user is None:
                user = User.objects.create_user(
                    email=email, password=None, full_name=(person.name or "")[:200]
                )
            account = LtiAccount.objects.create(
                issuer=person.issuer,
                sub=person.sub,
                user=user,
                registration=registration,
                last_launch_at=now,
            )
    except IntegrityError:
        # A concurrent launch created the link first; the constraint kept one.
        account = LtiAccount.objects.select_related("user").get(
            issuer=person.issuer, sub=person.sub
        )
    return account.user


def _touch(account: LtiAccount, person: LaunchPerson, now) -> None:
    LtiAccount.objects.filter(pk=account.pk).update(last_launch_at=now)
    if person.name and not account.user.full_name:
        User.objects.filter(pk=account.user_id).update(full_name=person.name[:200])
        learner_pages_changed(user_ids=[account.user_id])  # an update sends no signal


def grade_link_record(
    *,
    registration: LtiRegistration,
    user: User,
    issuer: str,
    sub: str,
    page: Page,
    resource_link_id: str,
    endpoint: dict[str, Any] | None,
) -> LtiGradeLink | None:
    """Remember where this person's result for `page` goes (only if the platform lets us post
    scores: the AGS claim carries the score scope)."""
    if not endpoint or SCORE_SCOPE not in (endpoint.get("scope") or []):
        return None
    account = LtiAccount.objects.get(issuer=issuer, sub=sub, user=user)
    link, _created = LtiGradeLink.objects.update_or_create(
        account=account,
        registration=registration,
        resource_link_id=resource_link_id,
        defaults={"page": page, "page_title": page.title[:255], "endpoint": endpoint},
    )
    return link


@dataclass(frozen=True)
class Score:
    given: float
    maximum: float
    activity_progress: str  # Initialized, Started, InProgress, Submitted, Completed
    grading_progress: str  # FullyGraded, Pending, PendingManual, Failed, NotReady


def score_send(*, link: LtiGradeLink, score: Score, session=None) -> None:
    """Post one score to the platform's line item through AGS (PyLTI1p3). Raises on failure.

    Called from the `lti_score_post` task, never in a learner's request.
    """
    registration = link.registration.to_registration()
    connector = ServiceConnector(registration, requests_session=session)
    ags = AssignmentsGradesService(connector, link.endpoint)
    grade = (
        Grade()
        .set_score_given(score.given)
        .set_score_maximum(score.maximum)
        .set_timestamp(timezone.now().isoformat())
        .set_activity_progress(score.activity_progress)
        .set_grading_progress(score.grading_progress)
        .set_user_id(link.account.sub)
    )
    lineitem = None
    if not link.endpoint.get("lineitem"):
        # The link has no line item of its own: find or create ours on the platform.
        lineitem = (
            LineItem()
            .set_tag(f"capacitas-{link.page_id}")
            .set_score_maximum(score.maximum)
            .set_label(link.page_title or "Capacitas")
            .set_resource_id(str(link.page_id))
        )
    ags.put_grade(grade, lineitem)
    LtiGradeLink.objects.filter(pk=link.pk).update(
        last_score=score.given, last_sent_at=timezone.now(), last_error=""
    )


def score_failed(*, link_id: int, error: str) -> None:
    LtiGradeLink.objects.filter(pk=link_id).update(last_error=error[:2000])


def lti_erase(*, user: User) -> None:
    """Erasure: the platform's identifier of the person (sub) and where their scores went are
    personal; the links go (a later launch from the platform makes a new account)."""
    LtiAccount.objects.filter(user=user).delete()  # grade links cascade
