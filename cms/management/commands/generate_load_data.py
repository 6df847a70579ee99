"""A realistic organisation at scale for measuring the HR pages (never on production).

`python manage.py generate_load_data --learners 10000` creates a metropolitan government with
municipalities and departments, 10 short courses (three lessons and a required final
assessment each), every learner enrolled in every course (about 100,000 enrolments) with lesson
progress, submitted final-assessment attempts, completions, certificates (some expiring, some
expired) and assignments (some overdue). Rows go in chunks of 1,000 learners, so memory stays
modest, and without model instances (COPY on PostgreSQL, executemany elsewhere): at 100,000
learners (a million enrolments) that is what keeps the run to minutes rather than hours.

Attempts are built with the same pure functions the quiz service uses (`build_snapshot`,
`parse_answers`, `score_attempt`), so snapshot, answers, score, percent and pass agree with the
quiz exactly as a real attempt would; only the database round trips of the service are skipped.
Each final assessment gets a pool of such attempts of each outcome, and enrolments draw from it.
"""

from __future__ import annotations

import json
import random
import secrets
import time
import uuid
from datetime import datetime, timedelta

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction
from django.db.models import JSONField
from django.utils import timezone
from django.utils.text import slugify

from cms.demo.quizzes import simulated_form
from cms.demo.site import ensure_catalogue, ensure_home
from courses.models import (
    CompletionRule,
    CoursePage,
    LessonPage,
    ModulePage,
    QuizPage,
    ReviewPolicy,
)
from courses.scoring import build_snapshot, parse_answers, score_attempt
from courses.selectors.content import live_lesson_ids_by_course
from courses.selectors.quizzes import quiz_questions_plain
from learners.certificates.rules import add_months
from learners.hr.tallies import tallies_rebuild
from learners.models import (
    AssignedLearner,
    Assignment,
    AssignmentTarget,
    AttemptStatus,
    Certificate,
    Department,
    Enrolment,
    EnrolmentSource,
    GovernmentLevel,
    HROfficerRole,
    HRTally,
    LessonProgress,
    Organisation,
    QuizAttempt,
    User,
)

CHUNK = 1000  # learners per batch (x courses enrolments)
POOL = 40  # scored attempts of each outcome per final assessment, drawn from at random
ATTEMPT_DURATION = timedelta(minutes=12)
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
# The final assessment of every generated course, as StreamField data: one question of each
# common type, 7 points in all, so percents spread over realistic values around the pass mark.
FINAL_PASS_MARK = 70
FINAL_QUESTIONS = [
    {
        "type": "single_choice",
        "value": {
            "text": "Which body approves the municipal budget?",
            "points": 2,
            "choices": [
                {"text": "The municipal council", "correct": True, "feedback": ""},
                {"text": "The regional parliament", "correct": False, "feedback": ""},
                {"text": "The finance department alone", "correct": False, "feedback": ""},
            ],
        },
    },
    {
        "type": "multiple_choice",
        "value": {
            "text": "Which of these are personal data?",
            "points": 2,
            "scoring": "partial",
            "choices": [
                {"text": "A citizen's e-mail address", "correct": True, "feedback": ""},
                {"text": "A national identity number", "correct": True, "feedback": ""},
                {"text": "The city's population", "correct": False, "feedback": ""},
            ],
        },
    },
    {
        "type": "true_false",
        "value": {"text": "Public tenders must be published.", "points": 1, "correct": "true"},
    },
    {
        "type": "short_text",
        "value": {
            "text": "Name the EU regulation on data protection (acronym).",
            "points": 1,
            "accepted_answers": ["GDPR", "RGPD"],
        },
    },
    {
        "type": "matching",
        "value": {
            "text": "Match each level with its body.",
            "points": 1,
            "pairs": [
                {"prompt": "Municipality", "match": "Council"},
                {"prompt": "Metropolitan area", "match": "Metropolitan assembly"},
            ],
        },
    },
]


class _FastInsert:
    """Plain rows into one table without model instances: COPY on PostgreSQL, executemany
    elsewhere. Ids are allocated up front, so rows of other tables can point at them.

    Building and compiling a model instance per row was most of the run (a million enrolments,
    two million lesson progress rows); rows here are dicts of column values, and columns left
    out take the field's default (which must not depend on the row).
    """

    def __init__(self, model):
        self.model = model
        self.table = model._meta.db_table
        self.fields = [f for f in model._meta.concrete_fields if not f.primary_key]
        self.defaults = {}
        for field in self.fields:
            if field.has_default() and callable(field.default):
                continue  # must be given (timestamps, uuids)
            self.defaults[field.attname] = field.get_default()
        self.postgres = connection.vendor == "postgresql"

    def ids(self, count: int) -> list[int]:
        """`count` fresh primary keys (inside the caller's transaction)."""
        if not count:
            return []
        with connection.cursor() as cursor:
            if self.postgres:
                cursor.execute(
                    "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                    [self.table, count],
                )
                return [row[0] for row in cursor.fetchall()]
            # One writer at a time (the caller's transaction holds SQLite's write lock).
            cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {self.table}")  # noqa: S608
            first = cursor.fetchone()[0] + 1
        return list(range(first, first + count))

    def _value(self, field, value):
        if isinstance(field, JSONField):
            return json.dumps(value, cls=DjangoJSONEncoder)
        if self.postgres:
            return value  # psycopg's COPY adapts dates, decimals, uuids and booleans itself
        return field.get_db_prep_save(value, connection)

    def insert(self, rows: list[dict]) -> None:
        if not rows:
            return
        with_id = "id" in rows[0]
        fields = self.fields
        columns = (["id"] if with_id else []) + [f.column for f in fields]
        values = [
            ([row["id"]] if with_id else [])
            + [
                self._value(f, row[f.attname] if f.attname in row else self.defaults[f.attname])
                for f in fields
            ]
            for row in rows
        ]
        quoted = ", ".join(connection.ops.quote_name(c) for c in columns)
        with connection.cursor() as cursor:
            if self.postgres:
                with cursor.copy(f"COPY {self.table} ({quoted}) FROM STDIN") as copy:
                    for row in values:
                        copy.write_row(row)
            else:
                marks = ", ".join(["%s"] * len(columns))
                cursor.executemany(
                    f"INSERT INTO {self.table} ({quoted}) VALUES ({marks})",  # noqa: S608
                    values,
                )


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
        finals = {course.pk: self._final_assessment(course) for course in courses}
        questions = {pk: quiz_questions_plain(quiz) for pk, quiz in finals.items()}
        today = timezone.localdate()
        now = timezone.now()
        password = make_password(None)  # unusable: load learners never log in
        slug = slugify(prefix)
        totals = {"learners": 0, "enrolments": 0, "progress": 0, "attempts": 0, "certificates": 0}
        fast = {
            model: _FastInsert(model)
            for model in (Enrolment, LessonProgress, QuizAttempt, Certificate)
        }
        pools = {pk: self._attempt_pool(rng, finals[pk], questions[pk]) for pk in finals}
        for start in range(0, options["learners"], CHUNK):
            count = min(CHUNK, options["learners"] - start)
            with transaction.atomic():
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
                enrolment_ids = iter(fast[Enrolment].ids(len(users) * len(courses)))
                for user in users:
                    for course in courses:
                        roll = rng.random()
                        enrolled_at = now - timedelta(days=rng.randint(30, 700))
                        # "failed": every lesson done but the final assessment not passed yet,
                        # so the course is not complete (it requires lessons and quizzes).
                        state = (
                            "new"
                            if roll < 0.15
                            else "doing"
                            if roll < 0.4
                            else "failed"
                            if roll < 0.5
                            else "done"
                        )
                        done_at = None
                        last = None
                        tries: list[tuple[datetime, bool]] = []
                        if state != "new":
                            last = enrolled_at + timedelta(days=rng.randint(0, 25))
                        if state in ("failed", "done"):
                            # One try, or two when the first failed (a few days apart).
                            passes = [False] if state == "failed" else [True]
                            if rng.random() < 0.35:
                                passes.insert(0, False)
                            at = last
                            for passed in passes:
                                tries.append((at, passed))
                                at += timedelta(days=rng.randint(1, 4), minutes=rng.randint(0, 600))
                            last = tries[-1][0] + ATTEMPT_DURATION
                        if state == "done":
                            done_at = last
                        enrolments.append(
                            {
                                "id": next(enrolment_ids),
                                "user_id": user.pk,
                                "course_id": course.pk,
                                "course_title": course.title,
                                "source": EnrolmentSource.SELF.value,
                                "enrolled_at": enrolled_at,
                                "last_activity_at": last,
                                "completed_at": done_at,
                            }
                        )
                        plans.append((user, state, tries))
                fast[Enrolment].insert(enrolments)
                progress, attempts, certificates = [], [], []
                for enrolment, (user, state, tries) in zip(enrolments, plans, strict=True):
                    course_id = enrolment["course_id"]
                    ids = lessons.get(course_id, [])
                    if state == "new":
                        continue
                    upto = max(1, len(ids) // 2) if state == "doing" else len(ids)
                    # Lessons are finished before the first try at the final assessment.
                    lessons_at = tries[0][0] if tries else enrolment["last_activity_at"]
                    for lesson_id in ids[:upto]:
                        progress.append(
                            {
                                "enrolment_id": enrolment["id"],
                                "lesson_id": lesson_id,
                                "lesson_title": "Lesson",
                                "first_viewed_at": lessons_at,
                                "last_viewed_at": lessons_at,
                                "completed_at": lessons_at,
                            }
                        )
                    final = finals[course_id]
                    best = None
                    for number, (started_at, passed) in enumerate(tries, start=1):
                        # A scored attempt of the matching outcome, drawn from the course's pool.
                        scored = rng.choice(pools[course_id][passed])
                        attempts.append(
                            {
                                **scored,
                                "public_id": uuid.uuid4(),
                                "user_id": user.pk,
                                "enrolment_id": enrolment["id"],
                                "quiz_id": final.pk,
                                "quiz_title": final.title,
                                "pass_mark": final.pass_mark,
                                "review_policy": final.review_policy,
                                "status": AttemptStatus.SUBMITTED.value,
                                "number": number,
                                "started_at": started_at,
                                "submitted_at": started_at + ATTEMPT_DURATION,
                                "answers_saved_at": started_at + ATTEMPT_DURATION,
                            }
                        )
                        if passed:
                            # Tries stop at the first pass, so this is the best passing score
                            # (what certificate_issue records as the final score).
                            best = scored["percent"]
                    if state == "done":
                        completed_on = enrolment["completed_at"].date()
                        # Half the courses certify for two years, so some certificates lapse.
                        expires = add_months(completed_on, 24) if course_id % 2 else None
                        certificates.append(
                            {
                                "user_id": user.pk,
                                "enrolment_id": enrolment["id"],
                                "course_id": course_id,
                                "code": secrets.token_hex(10),
                                "holder_name": user.full_name,
                                "course_title": enrolment["course_title"],
                                "completed_on": completed_on,
                                "issuer_name": f"{prefix} Metropolitan Government",
                                "issued_at": enrolment["completed_at"],
                                "expires_on": expires,
                                "final_score": best,
                            }
                        )
                fast[LessonProgress].insert(progress)
                fast[QuizAttempt].insert(attempts)
                fast[Certificate].insert(certificates)
            totals["learners"] += len(users)
            totals["enrolments"] += len(enrolments)
            totals["progress"] += len(progress)
            totals["attempts"] += len(attempts)
            totals["certificates"] += len(certificates)
            self.stdout.write(f"  {start + count} learners…")
        assigned = self._assignments(officer, municipalities, departments, courses, today)
        # Rows went in without the services, so the HR dashboard's tallies are counted afresh.
        tallies_rebuild()
        if connection.vendor == "postgresql":
            # Fresh statistics, so the planner sees the new sizes before autovacuum does.
            with connection.cursor() as cursor:
                for model in (User, Enrolment, LessonProgress, QuizAttempt, Certificate):
                    cursor.execute(f"ANALYZE {model._meta.db_table}")
                cursor.execute(f"ANALYZE {AssignedLearner._meta.db_table}")
                cursor.execute(f"ANALYZE {HRTally._meta.db_table}")
        self.stdout.write(
            self.style.SUCCESS(
                f"Generated {totals['learners']} learners, {len(courses)} courses, "
                f"{totals['enrolments']} enrolments, {totals['progress']} lesson progress rows, "
                f"{totals['attempts']} quiz attempts, {totals['certificates']} certificates, "
                f"{assigned} assigned learners in {time.monotonic() - started:.1f} s. "
                f"HR officer: {officer.email}"
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
                    # Completion needs the final assessment, so every certificate below
                    # belongs to someone with a passed attempt.
                    completion_rule=CompletionRule.LESSONS_AND_QUIZZES,
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

    def _final_assessment(self, course: CoursePage) -> QuizPage:
        """The course's final assessment (a quiz directly under the course), made once and
        shared by every set of load data (a second --prefix reuses the courses)."""
        quiz = QuizPage.objects.child_of(course).first()
        if quiz is None:
            quiz = QuizPage(
                title="Final assessment",
                slug="final-assessment",
                pass_mark=FINAL_PASS_MARK,
                attempts_allowed=3,
                shuffle_choices=True,
                review_policy=ReviewPolicy.SCORE_AND_CORRECTNESS,
                required_for_completion=True,
                questions=FINAL_QUESTIONS,
            )
            course.add_child(instance=quiz)
            quiz.save_revision().publish()
        # Reloaded so the questions carry the block ids that snapshots refer to.
        return QuizPage.objects.get(pk=quiz.pk)

    def _attempt_pool(self, rng, quiz: QuizPage, questions) -> dict[bool, list[dict]]:
        """Scored attempts of one final assessment, POOL of each outcome.

        Scoring a fresh attempt for each of a million enrolments would dominate the run; drawing
        from a pool of real, scored attempts keeps snapshot, answers and score in agreement."""
        pool: dict[bool, list[dict]] = {True: [], False: []}
        for passed in (True, False):
            for _i in range(POOL):
                attempt = self._attempt(rng, quiz, questions, passed)
                pool[passed].append(
                    {
                        name: getattr(attempt, name)
                        for name in (
                            "snapshot",
                            "answers",
                            "results",
                            "score",
                            "max_score",
                            "percent",
                            "passed",
                        )
                    }
                )
        return pool

    def _attempt(self, rng, quiz: QuizPage, questions, passed: bool) -> QuizAttempt:
        """A submitted attempt that passes (or fails) as planned, scored by the real rules.

        Answers come from a simulated learner of matching ability; the few draws that land on
        the wrong side of the pass mark are drawn again, and a last resort answers everything
        right (or next to nothing), so the plan always holds and the score matches the answers.
        """
        snapshot = build_snapshot(
            questions,
            rng=rng,
            draw_count=quiz.draw_count,
            shuffle_questions=quiz.shuffle_questions,
            shuffle_choices=quiz.shuffle_choices,
        )
        for ability in (
            (rng.uniform(0.8, 1.0), 0.95, 1.0) if passed else (rng.uniform(0.2, 0.6), 0.3, 0.0)
        ):
            answers = parse_answers(snapshot, simulated_form(snapshot, rng, ability))
            result = score_attempt(snapshot, answers)
            if result.passed(quiz.pass_mark) == passed:
                break
        return QuizAttempt(
            quiz=quiz,
            quiz_title=quiz.title,
            pass_mark=quiz.pass_mark,
            review_policy=quiz.review_policy,
            status=AttemptStatus.SUBMITTED,
            snapshot=snapshot,
            answers=answers,
            results=result.results,
            score=result.score,
            max_score=result.max_score,
            percent=result.percent,
            passed=result.passed(quiz.pass_mark),
        )

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
        now = timezone.now()
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
                        {
                            "assignment_id": assignment.pk,
                            "user_id": uid,
                            "due_on": due,
                            "created_at": now,
                        }
                        for uid in members.values_list("id", flat=True)
                    ]
                    _FastInsert(AssignedLearner).insert(rows)
                    total += len(rows)
        return total
