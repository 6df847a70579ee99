"""HR demo: the demo HR officer tracks Nova Aurelia and its two municipalities (idempotent).

Adds two short compliance courses, assignments (one overdue, one due soon, one to named people,
one recurring), progress for the people assigned, and certificates for completed enrolments that
have none yet, spread so that some expire within 30, 60 and 90 days and some have expired.
"""

from __future__ import annotations

import random
import secrets
from datetime import timedelta

from django.utils import timezone

from cms.demo.people import give_progress
from cms.demo.site import ensure_catalogue, ensure_home
from courses.models import CoursePage, LessonPage, ModulePage
from courses.selectors import course_outline
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
from learners.selectors.hr_scope import hr_scope_organisation_ids
from learners.services.enrolment import enrolment_create

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
    """A certificate for every completed enrolment in scope that has none, with varied dates."""
    today = timezone.localdate()
    completed = (
        Enrolment.objects.filter(
            user__organisation_id__in=organisation_ids, completed_at__isnull=False
        )
        .exclude(certificates__isnull=False)
        .select_related("user")
        .order_by("pk")
    )
    expiry_offsets = [20, 45, 80, -30, None, 400, 150]
    created = 0
    for i, enrolment in enumerate(completed):
        offset = expiry_offsets[i % len(expiry_offsets)]
        issued_at = timezone.now() - timedelta(days=(i * 37) % 340 + 1)
        Enrolment.objects.filter(pk=enrolment.pk).update(completed_at=issued_at)
        Certificate.objects.create(
            user=enrolment.user,
            enrolment=enrolment,
            course_id=enrolment.course_id,
            code=secrets.token_urlsafe(12),
            holder_name=enrolment.user.full_name,
            course_title=enrolment.course_title,
            completed_on=issued_at.date(),
            issuer_name=METRO,
            issued_at=issued_at,
            expires_on=None if offset is None else today + timedelta(days=offset),
        )
        created += 1
    return created


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
