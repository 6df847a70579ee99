"""Fictional organisations, the demo accounts and a few dozen learners with varied progress."""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth.models import Group
from django.db.models import F
from django.utils import timezone

from courses.selectors.outline import course_outline
from learners.certificates.rules import certificate_expiry
from learners.models import (
    Certificate,
    Department,
    Enrolment,
    GovernmentLevel,
    LessonProgress,
    Organisation,
    QuizAttempt,
    ScormAttempt,
    User,
)
from learners.progress.services import enrolment_create, lesson_complete, lesson_view_record

DEMO_DOMAIN = "example.org"

ORGANISATIONS = [
    # name, country, level, parent, e-mail domain, departments
    (
        "Metropolitan Government of Nova Aurelia",
        "Spain",
        GovernmentLevel.METROPOLITAN,
        None,
        "nova-aurelia.example",
        ["International Relations", "Economic Promotion", "Human Resources"],
    ),
    (
        "Municipality of Port Esmer",
        "Spain",
        GovernmentLevel.LOCAL,
        "Metropolitan Government of Nova Aurelia",
        "portesmer.example",
        ["International Relations", "Economic Development", "Urban Planning", "Human Resources"],
    ),
    (
        "Municipality of Valle Clara",
        "Spain",
        GovernmentLevel.LOCAL,
        "Metropolitan Government of Nova Aurelia",
        "valleclara.example",
        ["Mayor's Office", "Environment", "Culture"],
    ),
    (
        "City of Brightwater",
        "Ireland",
        GovernmentLevel.LOCAL,
        None,
        "brightwater.example",
        ["International Office", "Tourism"],
    ),
    (
        "Regional Government of Alta Serra",
        "Portugal",
        GovernmentLevel.REGIONAL,
        None,
        "altaserra.example",
        ["External Relations"],
    ),
]

DEMO_ACCOUNTS = [
    # e-mail, full name, organisation, department, job title, groups, superuser
    (
        "learner@example.org",
        "Lucía Fernández Ortega",
        "Municipality of Port Esmer",
        "International Relations",
        "International relations officer",
        [],
        False,
    ),
    (
        "trainer@example.org",
        "Tomás Oyelaran",
        "Metropolitan Government of Nova Aurelia",
        "International Relations",
        "Trainer",
        ["Trainers"],
        False,
    ),
    (
        "editor@example.org",
        "Edith Marchetti",
        "Metropolitan Government of Nova Aurelia",
        "International Relations",
        "Head of training content",
        ["Course editors"],
        False,
    ),
    (
        "hr@example.org",
        "Hana Rezaei",
        "Metropolitan Government of Nova Aurelia",
        "Human Resources",
        "HR business partner",
        [],
        False,
    ),
    (
        "admin@example.org",
        "Ada Administrator",
        "Metropolitan Government of Nova Aurelia",
        None,
        "Platform administrator",
        [],
        True,
    ),
]

FIRST_NAMES = [
    "Zoë",
    "Mateo",
    "Aisha",
    "Jonas",
    "Ιωάννα",
    "Олена",
    "Siobhán",
    "Karim",
    "Inês",
    "Pedro",
    "Maja",
    "Tiago",
    "Nadia",
    "Álvaro",
    "Chiara",
    "Emeka",
    "Søren",
    "Laila",
]
LAST_NAMES = [
    "García",
    "Ó Briain",
    "Nowak",
    "Παπαδοπούλου",
    "Коваленко",
    "Silva",
    "Haddad",
    "Lindqvist",
    "Moreau",
    "Costa",
    "Okafor",
    "Ruiz",
    "Ferreira",
    "Dubois",
]
FICTIONAL_LEARNERS = 36


def ensure_organisations() -> dict[str, Organisation]:
    organisations: dict[str, Organisation] = {}
    for name, country, level, parent, domain, departments in ORGANISATIONS:
        organisation, _ = Organisation.objects.get_or_create(
            name=name,
            defaults={
                "country": country,
                "level": level,
                "parent": organisations.get(parent),
                "email_domain": domain,
            },
        )
        organisations[name] = organisation
        for department in departments:
            Department.objects.get_or_create(organisation=organisation, name=department)
    return organisations


def _ensure_user(email, full_name, organisation, department_name, job_title, superuser=False):
    user = User.objects.filter(email=email).first()
    created = user is None
    if created:
        department = (
            Department.objects.filter(organisation=organisation, name=department_name).first()
            if department_name
            else None
        )
        user = User.objects.create_user(
            email=email,
            password=settings.DEMO_PASSWORD,
            full_name=full_name,
            organisation=organisation,
            department=department,
            job_title=job_title,
            government_level=organisation.level if organisation else "",
            is_staff=superuser,
            is_superuser=superuser,
        )
        EmailAddress.objects.get_or_create(
            user=user, email=email, defaults={"verified": True, "primary": True}
        )
    return user, created


def ensure_demo_accounts(organisations: dict[str, Organisation]) -> dict[str, User]:
    accounts = {}
    for email, name, org, department, job, groups, superuser in DEMO_ACCOUNTS:
        user, _ = _ensure_user(email, name, organisations[org], department, job, superuser)
        for group_name in groups:
            user.groups.add(Group.objects.get(name=group_name))
        accounts[email.split("@")[0]] = user
    return accounts


def retime_enrolment(
    enrolment: Enrolment,
    *,
    enrolled_at: datetime,
    finished_at: datetime,
    expires_on: date | None = None,
) -> None:
    """Lay an enrolment's records on one coherent timeline from `enrolled_at` to `finished_at`.

    The demo creates everything "now" through the services, then moves enrolments into the
    past; moving only the enrolment or only the certificate would leave lessons completed before
    enrolment or certificates issued before completion. Here lessons take the first four fifths
    of the span in the order they were done, quiz attempts the rest, the course completion (if
    any) and its certificate fall on `finished_at`, and the learner joined before enrolling.
    The activity log is append-only and keeps the times the events were recorded.
    """
    span = finished_at - enrolled_at
    rows = list(
        LessonProgress.objects.filter(enrolment=enrolment).order_by(
            F("completed_at").asc(nulls_last=True), "first_viewed_at", "pk"
        )
    )
    attempts = list(QuizAttempt.objects.filter(enrolment=enrolment).order_by("started_at", "pk"))
    lesson_span = span * 4 / 5 if attempts else span
    step = lesson_span / (len(rows) + 1)
    for i, row in enumerate(rows, start=1):
        moment = enrolled_at + step * i
        row.first_viewed_at = moment - step / 2 if row.first_viewed_at else None
        row.last_viewed_at = moment if row.last_viewed_at else None
        row.completed_at = moment if row.completed_at else None
    LessonProgress.objects.bulk_update(rows, ["first_viewed_at", "last_viewed_at", "completed_at"])
    # A SCORM lesson's attempts happened while the learner was on that lesson.
    by_lesson = {row.lesson_id: row for row in rows}
    for scorm in ScormAttempt.objects.filter(enrolment=enrolment):
        row = by_lesson.get(scorm.lesson_id)
        started = row and (row.first_viewed_at or row.completed_at or row.last_viewed_at)
        if not started:
            continue
        ScormAttempt.objects.filter(pk=scorm.pk).update(
            started_at=started,
            updated_at=row.completed_at or row.last_viewed_at or started,
            completed_at=row.completed_at if scorm.completed_at else None,
        )
    if attempts:
        slot = (span - lesson_span) / len(attempts)
        for i, attempt in enumerate(attempts):
            started = enrolled_at + lesson_span + slot * i + slot / 10
            taken = (attempt.submitted_at or attempt.started_at) - attempt.started_at
            submitted = started + min(taken, slot * 8 / 10)
            if attempt.deadline:
                attempt.deadline = started + (attempt.deadline - attempt.started_at)
            attempt.started_at = started
            if attempt.submitted_at:
                attempt.submitted_at = submitted
            if attempt.answers_saved_at:
                attempt.answers_saved_at = submitted
        QuizAttempt.objects.bulk_update(
            attempts, ["started_at", "submitted_at", "deadline", "answers_saved_at"]
        )
    completed = Enrolment.objects.filter(pk=enrolment.pk, completed_at__isnull=False).exists()
    Enrolment.objects.filter(pk=enrolment.pk).update(
        enrolled_at=enrolled_at,
        last_activity_at=finished_at,
        completed_at=finished_at if completed else None,
    )
    User.objects.filter(pk=enrolment.user_id, date_joined__gt=enrolled_at).update(
        date_joined=enrolled_at - timedelta(days=1)
    )
    completed_on = timezone.localdate(finished_at)
    for certificate in Certificate.objects.filter(enrolment=enrolment, superseded_at__isnull=True):
        if expires_on is None and certificate.expires_on:
            # Keep the validity the certificate was issued with.
            validity = (certificate.expires_on.year - certificate.completed_on.year) * 12 + (
                certificate.expires_on.month - certificate.completed_on.month
            )
            expires_on = certificate_expiry(completed_on, validity)
        Certificate.objects.filter(pk=certificate.pk).update(
            issued_at=finished_at, completed_on=completed_on, expires_on=expires_on
        )


def _backdate(enrolment: Enrolment, days_ago: int) -> None:
    """Enrolled `days_ago` days ago, with the lessons done so far spread up to today."""
    now = timezone.now()
    retime_enrolment(enrolment, enrolled_at=now - timedelta(days=days_ago), finished_at=now)


def give_progress(user: User, course, lessons_done: int, *, view_next: bool = True) -> Enrolment:
    enrolment, _ = enrolment_create(user=user, course=course)
    outline = course_outline(course)
    lessons = {page.pk: page for page in course.get_descendants().live().specific()}
    for item in outline.lessons[:lessons_done]:
        lesson = lessons[item.id]
        lesson_view_record(user=user, enrolment=enrolment, lesson=lesson)
        lesson_complete(user=user, enrolment=enrolment, lesson=lesson)
    if view_next and lessons_done < outline.lesson_count:
        lesson_view_record(
            user=user, enrolment=enrolment, lesson=lessons[outline.lessons[lessons_done].id]
        )
    enrolment.refresh_from_db()
    return enrolment


def ensure_demo_learner_progress(learner: User, course) -> None:
    if not Enrolment.objects.filter(user=learner).exists():
        enrolment = give_progress(learner, course, 4)
        _backdate(enrolment, 12)


def ensure_fictional_learners(organisations: dict[str, Organisation], course) -> list[User]:
    rng = random.Random(20261129)  # fixed seed: every run builds the same people
    orgs = [o for o in organisations.values() if o.name != "Regional Government of Alta Serra"]
    lesson_total = course_outline(course).lesson_count
    people = []
    for i in range(FICTIONAL_LEARNERS):
        first, last = FIRST_NAMES[i % len(FIRST_NAMES)], LAST_NAMES[(i * 7) % len(LAST_NAMES)]
        organisation = orgs[i % len(orgs)]
        departments = list(organisation.departments.all())
        email = f"learner{i + 1:02d}@{organisation.email_domain}"
        user, created = _ensure_user(
            email,
            f"{first} {last}",
            organisation,
            departments[i % len(departments)].name if departments else None,
            rng.choice(["Policy officer", "Project manager", "Adviser", "Head of unit"]),
        )
        people.append(user)
        if not created:
            continue
        roll = rng.random()
        if roll < 0.15:
            continue  # signed up, not enrolled yet
        done = lesson_total if roll > 0.75 else rng.randint(0, lesson_total - 1)
        enrolment = give_progress(user, course, done)
        _backdate(enrolment, rng.randint(5, 300))
    return people


def load_people(course) -> dict:
    organisations = ensure_organisations()
    accounts = ensure_demo_accounts(organisations)
    ensure_demo_learner_progress(accounts["learner"], course)
    learners = ensure_fictional_learners(organisations, course)
    return {
        "organisations": organisations,
        "accounts": accounts,
        "learners": learners,
        "progress_rows": LessonProgress.objects.count(),
    }
