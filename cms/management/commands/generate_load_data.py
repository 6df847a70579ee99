"""A realistic organisation at scale for measuring the HR pages (never on production).

`python manage.py generate_load_data --learners 10000` creates a metropolitan government with
municipalities and departments, 10 short courses, every learner enrolled in every course (about
100,000 enrolments) with lesson progress, completions, certificates (some expiring, some expired)
and assignments (some overdue). Rows go in with bulk_create in chunks, so memory stays modest.
Quiz attempts are not generated: the quiz records are not on this branch.
"""

from __future__ import annotations

import random
import secrets
import time
from contextlib import contextmanager
from datetime import timedelta

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from cms.demo.site import ensure_catalogue, ensure_home
from courses.models import CoursePage, LessonPage, ModulePage
from courses.selectors import live_lesson_ids_by_course
from learners.models import (
    AssignedLearner,
    Assignment,
    AssignmentTarget,
    Certificate,
    Department,
    Enrolment,
    EnrolmentSource,
    GovernmentLevel,
    HROfficerRole,
    LessonProgress,
    Organisation,
    User,
)
from learners.rules import add_months

CHUNK = 1000  # learners per batch (x courses enrolments)
DEPARTMENTS = [
    "Finance",
    "Human Resources",
    "International Relations",
    "Urban Planning",
    "Environment",
    "Culture",
    "Social Services",
    "Economic Development",
    "Mobility",
    "Digital Services",
]


@contextmanager
def _backdatable(*models_fields):
    """Let bulk_create keep the past timestamps we give (auto_now_add would overwrite them)."""
    fields = [model._meta.get_field(name) for model, name in models_fields]
    saved = [field.auto_now_add for field in fields]
    for field in fields:
        field.auto_now_add = False
    try:
        yield
    finally:
        for field, value in zip(fields, saved, strict=True):
            field.auto_now_add = value


class Command(BaseCommand):
    help = "Generate learners, courses, enrolments and certificates at scale (not in production)."

    def add_arguments(self, parser):
        parser.add_argument("--learners", type=int, default=10_000)
        parser.add_argument("--courses", type=int, default=10)
        parser.add_argument("--municipalities", type=int, default=4)
        parser.add_argument(
            "--prefix", default="Load", help="Names the organisations, so sets can coexist."
        )
        parser.add_argument("--seed", type=int, default=20261129)

    def handle(self, *args, **options):
        if settings.SETTINGS_MODULE.endswith(".production"):
            raise CommandError("generate_load_data refuses to run under production settings.")
        started = time.monotonic()
        rng = random.Random(options["seed"])
        prefix = options["prefix"].strip() or "Load"
        if Organisation.objects.filter(name=f"{prefix} Metropolitan Government").exists():
            raise CommandError(f"Load data with prefix {prefix!r} exists already; use --prefix.")
        with transaction.atomic():
            courses = self._courses(options["courses"])
            metro, municipalities, departments = self._organisations(
                prefix, options["municipalities"]
            )
            officer = self._officer(prefix, metro)
        lessons = live_lesson_ids_by_course([c.pk for c in courses])
        today = timezone.localdate()
        now = timezone.now()
        password = make_password(None)  # unusable: load learners never log in
        slug = slugify(prefix)
        totals = {"learners": 0, "enrolments": 0, "progress": 0, "certificates": 0}
        for start in range(0, options["learners"], CHUNK):
            count = min(CHUNK, options["learners"] - start)
            with transaction.atomic(), _backdatable((Enrolment, "enrolled_at")):
                users = []
                for i in range(start, start + count):
                    org = municipalities[i % len(municipalities)]
                    dept = departments[org.pk][(i // len(municipalities)) % len(DEPARTMENTS)]
                    users.append(
                        User(
                            email=f"learner{i:06d}@{slug}.load.example",
                            full_name=f"Learner {i:06d} {rng.choice(DEPARTMENTS).split()[0]}",
                            organisation=org,
                            department=dept,
                            job_title=rng.choice(["Officer", "Adviser", "Head of unit"]),
                            government_level=GovernmentLevel.LOCAL,
                            password=password,
                        )
                    )
                User.objects.bulk_create(users)
                if any(u.pk is None for u in users):  # backends that do not return ids
                    by_email = dict(
                        User.objects.filter(email__in=[u.email for u in users]).values_list(
                            "email", "id"
                        )
                    )
                    for u in users:
                        u.pk = u.id = by_email[u.email]
                enrolments, plans = [], []
                for user in users:
                    for course in courses:
                        roll = rng.random()
                        enrolled_at = now - timedelta(days=rng.randint(30, 700))
                        state = "new" if roll < 0.15 else "doing" if roll < 0.5 else "done"
                        done_at = None
                        last = None
                        if state != "new":
                            last = enrolled_at + timedelta(days=rng.randint(0, 25))
                        if state == "done":
                            done_at = last
                        enrolments.append(
                            Enrolment(
                                user=user,
                                course=course,
                                course_title=course.title,
                                source=EnrolmentSource.SELF,
                                enrolled_at=enrolled_at,
                                last_activity_at=last,
                                completed_at=done_at,
                            )
                        )
                        plans.append(state)
                Enrolment.objects.bulk_create(enrolments, batch_size=5000)
                progress, certificates = [], []
                for enrolment, state in zip(enrolments, plans, strict=True):
                    ids = lessons.get(enrolment.course_id, [])
                    if state == "new":
                        continue
                    upto = len(ids) if state == "done" else max(1, len(ids) // 2)
                    for lesson_id in ids[:upto]:
                        progress.append(
                            LessonProgress(
                                enrolment=enrolment,
                                lesson_id=lesson_id,
                                lesson_title="Lesson",
                                first_viewed_at=enrolment.last_activity_at,
                                last_viewed_at=enrolment.last_activity_at,
                                completed_at=enrolment.last_activity_at,
                            )
                        )
                    if state == "done":
                        completed_on = enrolment.completed_at.date()
                        # Half the courses certify for two years, so some certificates lapse.
                        expires = add_months(completed_on, 24) if enrolment.course_id % 2 else None
                        certificates.append(
                            Certificate(
                                user=enrolment.user,
                                enrolment=enrolment,
                                course_id=enrolment.course_id,
                                code=secrets.token_hex(10),
                                holder_name=enrolment.user.full_name,
                                course_title=enrolment.course_title,
                                completed_on=completed_on,
                                issuer_name=f"{prefix} Metropolitan Government",
                                issued_at=enrolment.completed_at,
                                expires_on=expires,
                            )
                        )
                LessonProgress.objects.bulk_create(progress, batch_size=5000)
                Certificate.objects.bulk_create(certificates, batch_size=5000)
            totals["learners"] += len(users)
            totals["enrolments"] += len(enrolments)
            totals["progress"] += len(progress)
            totals["certificates"] += len(certificates)
            self.stdout.write(f"  {start + count} learners…")
        assigned = self._assignments(officer, municipalities, departments, courses, today)
        self.stdout.write(
            self.style.SUCCESS(
                f"Generated {totals['learners']} learners, {len(courses)} courses, "
                f"{totals['enrolments']} enrolments, {totals['progress']} lesson progress rows, "
                f"{totals['certificates']} certificates, {assigned} assigned learners "
                f"in {time.monotonic() - started:.1f} s. HR officer: {officer.email} "
                "(no quiz attempts: quizzes are not on this branch)."
            )
        )

    def _courses(self, count: int) -> list[CoursePage]:
        catalogue = ensure_catalogue(ensure_home())
        courses = []
        for n in range(1, count + 1):
            slug = f"load-course-{n:02d}"
            course = CoursePage.objects.filter(slug=slug).first()
            if course is None:
                course = CoursePage(
                    title=f"Load test course {n:02d}",
                    slug=slug,
                    summary="A short generated course for load testing.",
                    certificate_validity_months=24 if n % 2 else None,
                )
                catalogue.add_child(instance=course)
                course.save_revision().publish()
                module = ModulePage(title="Module 1", slug="module-1")
                course.add_child(instance=module)
                module.save_revision().publish()
                for i in range(1, 4):
                    lesson = LessonPage(title=f"Lesson {i}", slug=f"lesson-{i}", body=[])
                    module.add_child(instance=lesson)
                    lesson.save_revision().publish()
            courses.append(course)
        return courses

    def _organisations(self, prefix: str, municipalities: int):
        metro = Organisation.objects.create(
            name=f"{prefix} Metropolitan Government",
            country="Spain",
            level=GovernmentLevel.METROPOLITAN,
        )
        towns = [
            Organisation.objects.create(
                name=f"{prefix} Municipality {i + 1}",
                country="Spain",
                level=GovernmentLevel.LOCAL,
                parent=metro,
            )
            for i in range(max(1, municipalities))
        ]
        departments = {
            town.pk: Department.objects.bulk_create(
                [Department(organisation=town, name=name) for name in DEPARTMENTS]
            )
            for town in towns
        }
        for town in towns:
            if any(d.pk is None for d in departments[town.pk]):
                departments[town.pk] = list(town.departments.order_by("pk"))
        return metro, towns, departments

    def _officer(self, prefix: str, metro: Organisation) -> User:
        email = f"hr@{slugify(prefix)}.load.example"
        officer = User.objects.create_user(
            email=email,
            password=settings.DEMO_PASSWORD,
            full_name=f"{prefix} HR officer",
            organisation=metro,
        )
        EmailAddress.objects.create(user=officer, email=email, verified=True, primary=True)
        HROfficerRole.objects.create(user=officer, organisation=metro)
        return officer

    def _assignments(self, officer, towns, departments, courses, today) -> int:
        """Per municipality: the first course org-wide (due soon), the second to one
        department (overdue). Rows are materialised directly, as assignment_create would."""
        total = 0
        with transaction.atomic():
            for town in towns:
                specs = [
                    (courses[0], AssignmentTarget.ORGANISATION, None, today + timedelta(days=20)),
                    (
                        courses[1 % len(courses)],
                        AssignmentTarget.DEPARTMENT,
                        departments[town.pk][0],
                        today - timedelta(days=15),
                    ),
                ]
                for course, target, dept, due in specs:
                    assignment = Assignment.objects.create(
                        course=course,
                        course_title=course.title,
                        organisation=town,
                        target=target,
                        department=dept,
                        due_on=due,
                        recurrence_months=24 if target == AssignmentTarget.ORGANISATION else None,
                        created_by=officer,
                    )
                    members = (
                        User.objects.filter(department=dept if dept else None, organisation=town)
                        if dept
                        else User.objects.filter(organisation=town)
                    )
                    rows = [
                        AssignedLearner(assignment=assignment, user_id=uid, due_on=due)
                        for uid in members.values_list("id", flat=True)
                    ]
                    AssignedLearner.objects.bulk_create(rows, batch_size=5000)
                    total += len(rows)
        return total
