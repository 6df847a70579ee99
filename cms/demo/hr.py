"""HR demo: the demo HR officer tracks Nova Aurelia and its two municipalities (idempotent).

Adds two short compliance courses, assignments (one overdue, one due soon, one to named people,
one recurring), progress for the people assigned, and certificates for completed enrolments that
have none yet, spread so that some expire within 30, 60 and 90 days and some have expired.
"""

from __future__ import annotations

import random
from datetime import datetime, time, timedelta

from django.db.models import Min
from django.utils import timezone

from cms.demo.courses import DATA_PROTECTION, INTEGRITY, ensure_short_course, pass_final_quiz
from cms.demo.people import give_progress, retime_enrolment
from cms.demo.site import ensure_catalogue, ensure_home
from courses.models import CoursePage
from courses.selectors.outline import course_outline
from learners.accounts.selectors import hr_scope_organisation_ids
from learners.certificates.rules import add_months
from learners.models import (
    AssignedLearner,
    Assignment,
    AssignmentTarget,
    Certificate,
    Department,
    Enrolment,
    EnrolmentSource,
    HROfficerRole,
    Organisation,
    User,
)
from learners.progress.services import enrolment_create

METRO = "Metropolitan Government of Nova Aurelia"
PORT_ESMER = "Municipality of Port Esmer"
VALLE_CLARA = "Municipality of Valle Clara"


def ensure_compliance_courses() -> list[CoursePage]:
    """The two short compliance courses HR assigns: data protection, then integrity."""
    catalogue = ensure_catalogue(ensure_home())
    return [ensure_short_course(catalogue, name) for name in (DATA_PROTECTION, INTEGRITY)]


def _assign(
    *,
    course,
    organisation,
    target,
    due_on,
    officer,
    people,
    department=None,
    recurrence_months=None,
    rng,
) -> Assignment | None:
    """Create the assignment once; enrol the people and give them varied progress."""
    if Assignment.objects.filter(
        course=course, organisation=organisation, target=target, department=department
    ).exists():
        return None
    assignment = Assignment.objects.create(
        course=course,
        course_title=course.title,
        organisation=organisation,
        target=target,
        department=department,
        due_on=due_on,
        recurrence_months=recurrence_months,
        created_by=officer,
    )
    lesson_total = course_outline(course).lesson_count
    for person in people:
        AssignedLearner.objects.get_or_create(
            assignment=assignment, user=person, defaults={"due_on": due_on}
        )
        enrolment_create(user=person, course=course, source=EnrolmentSource.ASSIGNED)
        roll = rng.random()
        done = 0 if roll < 0.3 else lesson_total if roll > 0.65 else 1
        if done:
            give_progress(person, course, done)
        if done == lesson_total:
            pass_final_quiz(person, course, rng=rng)  # passing completes the course
    return assignment


def ensure_certificates(organisation_ids, rng) -> int:
    """Spread the dates of the certificates this load issued, so that some expire within 30,
    60 and 90 days, some have expired and the monthly chart has a history.

    Only certificates issued during this load (their PDF is rendered when the load commits) are
    touched, so a second run changes nothing and every PDF shows the dates it certifies.
    """
    today = timezone.localdate()
    fresh = (
        Certificate.objects.filter(
            user__organisation_id__in=organisation_ids,
            pdfs__isnull=True,
            superseded_at__isnull=True,
        )
        .select_related("enrolment")
        .exclude(user__email__endswith="@example.org")  # the demo accounts have their own story
        .order_by("pk")
    )
    # Days until expiry, chosen so every HR figure (30/60/90 days, expired) has examples.
    expiry_offsets = [20, 45, 80, -30, 200, 400, 150]
    adjusted = 0
    for i, certificate in enumerate(fresh):
        validity = (
            certificate.expires_on
            and certificate.completed_on
            and (
                (certificate.expires_on.year - certificate.completed_on.year) * 12
                + certificate.expires_on.month
                - certificate.completed_on.month
            )
        )
        if not validity:
            continue
        expires_on = today + timedelta(days=expiry_offsets[i % len(expiry_offsets)])
        completed_on = add_months(expires_on, -validity)
        finished = timezone.make_aware(datetime.combine(completed_on, time(10, 0)))
        # The whole enrolment moves with its certificate: enrolled two to eight weeks before
        # completing, its lessons and attempts in between.
        retime_enrolment(
            certificate.enrolment,
            enrolled_at=finished - timedelta(days=rng.randint(14, 60)),
            finished_at=finished,
            expires_on=expires_on,
        )
        adjusted += 1
    return adjusted


def assignments_precede_enrolments() -> None:
    """Date each assignment (and each learner's place in it) before the enrolments it made."""
    for assignment in Assignment.objects.all():
        first = Enrolment.objects.filter(
            course_id=assignment.course_id,
            source=EnrolmentSource.ASSIGNED,
            user__in=AssignedLearner.objects.filter(assignment=assignment).values("user"),
        ).aggregate(first=Min("enrolled_at"))["first"]
        if first is not None and assignment.created_at > first:
            moment = first - timedelta(days=1)
            Assignment.objects.filter(pk=assignment.pk).update(created_at=moment)
            AssignedLearner.objects.filter(assignment=assignment).update(created_at=moment)


def load_hr(flagship: CoursePage, people: dict) -> dict:
    rng = random.Random(611)  # fixed: every first run builds the same picture
    organisations: dict[str, Organisation] = people["organisations"]
    officer: User = people["accounts"]["hr"]
    HROfficerRole.objects.get_or_create(user=officer, organisation=organisations[METRO])
    data_protection, integrity = ensure_compliance_courses()
    today = timezone.localdate()
    port_esmer, valle_clara, metro = (
        organisations[PORT_ESMER],
        organisations[VALLE_CLARA],
        organisations[METRO],
    )
    ir_department = Department.objects.get(organisation=port_esmer, name="International Relations")
    _assign(
        course=data_protection,
        organisation=port_esmer,
        target=AssignmentTarget.DEPARTMENT,
        department=ir_department,
        due_on=today + timedelta(days=10),
        officer=officer,
        people=list(User.objects.filter(department=ir_department)),
        rng=rng,
    )
    _assign(
        course=integrity,
        organisation=valle_clara,
        target=AssignmentTarget.ORGANISATION,
        due_on=today - timedelta(days=12),
        recurrence_months=12,
        officer=officer,
        people=list(User.objects.filter(organisation=valle_clara)),
        rng=rng,
    )
    _assign(
        course=integrity,
        organisation=port_esmer,
        target=AssignmentTarget.ORGANISATION,
        due_on=today + timedelta(days=45),
        recurrence_months=12,
        officer=officer,
        people=list(User.objects.filter(organisation=port_esmer)),
        rng=rng,
    )
    _assign(
        course=flagship,
        organisation=metro,
        target=AssignmentTarget.INDIVIDUALS,
        due_on=today - timedelta(days=5),
        officer=officer,
        people=list(
            User.objects.filter(organisation=metro, is_superuser=False)
            .exclude(pk=officer.pk)
            .order_by("email")[:6]
        ),
        rng=rng,
    )
    certificates = ensure_certificates(hr_scope_organisation_ids(officer), rng)
    assignments_precede_enrolments()
    return {"assignments": Assignment.objects.count(), "certificates_created": certificates}
