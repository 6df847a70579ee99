"""HR demo: the demo HR officer tracks Nova Aurelia and its two municipalities (idempotent).

Adds two short compliance courses, assignments (one overdue, one due soon, one to named people,
one recurring), progress for the people assigned, and certificates for completed enrolments that
have none yet, spread so that some expire within 30, 60 and 90 days and some have expired.
"""

from __future__ import annotations

import random
from datetime import datetime, time, timedelta

from django.utils import timezone

from cms.demo.people import give_progress
from cms.demo.site import ensure_catalogue, ensure_home
from courses.models import CoursePage, LessonPage, ModulePage
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

COMPLIANCE_COURSES = [
    # slug, title, summary, validity months, lesson titles
    (
        "data-protection-essentials",
        "Data protection essentials for public servants",
        "Handle residents' personal data lawfully: purposes, minimisation, rights, breaches.",
        24,
        ["Personal data in a city hall", "Rights of residents", "When data leaks"],
    ),
    (
        "integrity-and-anti-corruption",
        "Integrity and anti-corruption",
        "Recognise conflicts of interest, gifts and undue influence, and know how to report.",
        12,
        ["Conflicts of interest", "Gifts and hospitality", "Reporting safely"],
    ),
]


def _publish(page):
    page.save_revision().publish()
    return page


def ensure_compliance_courses() -> list[CoursePage]:
    catalogue = ensure_catalogue(ensure_home())
    courses = []
    for slug, title, summary, validity, lessons in COMPLIANCE_COURSES:
        course = CoursePage.objects.filter(slug=slug).first()
        if course is None:
            course = CoursePage(
                title=title,
                slug=slug,
                summary=summary,
                estimated_hours=1,
                certificate_validity_months=validity,
            )
            catalogue.add_child(instance=course)
            _publish(course)
            module = ModulePage(title="Essentials", slug="essentials", summary=summary)
            course.add_child(instance=module)
            _publish(module)
            for n, lesson_title in enumerate(lessons, start=1):
                lesson = LessonPage(
                    title=lesson_title,
                    slug=f"lesson-{n}",
                    estimated_minutes=15,
                    intro=summary,
                    body=[
                        {"type": "heading", "value": {"text": lesson_title, "level": "h2"}},
                        {"type": "paragraph", "value": f"<p>{summary}</p>"},
                    ],
                )
                module.add_child(instance=lesson)
                _publish(lesson)
        courses.append(course)
    return courses


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
            pdf="",
            superseded_at__isnull=True,
        )
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
        issued_at = timezone.make_aware(datetime.combine(completed_on, time(10, 0)))
        Enrolment.objects.filter(pk=certificate.enrolment_id).update(completed_at=issued_at)
        Certificate.objects.filter(pk=certificate.pk).update(
            issued_at=issued_at, completed_on=completed_on, expires_on=expires_on
        )
        adjusted += 1
    return adjusted


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
    return {"assignments": Assignment.objects.count(), "certificates_created": certificates}
