"""Learners, a course and their sessions for the load test (`benchmarks/load.py`).

`python manage.py prepare_load_journey --learners 200 --output learners.json` makes (or reuses)
two published courses and N learners, run against the database of the site under test:

- "Load journey" (8 lessons of about 800 words and an unlimited module quiz): every learner is
  enrolled; the load test browses it, marks lessons complete and takes the quiz.
- "Load certificate" (one lesson): every learner has completed it through the services, so each
  holds a certificate whose PDF is rendered here, before the test, for the download step.

Each learner gets a fresh logged-in session (no password hashing under load: the test measures
the learning journey, not the login form). The JSON file lists the session cookies and the
URLs and ids the test needs. Running it again reuses learners and courses and makes new sessions.
"""

from __future__ import annotations

import json
import time
from importlib import import_module
from pathlib import Path

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from cms.demo.site import ensure_catalogue, ensure_home
from courses.models import CoursePage, LessonPage, ModulePage, QuizPage, ReviewPolicy
from learners.certificates.pdf import certificate_pdf_store
from learners.certificates.services import certificate_issue
from learners.models import Certificate, CertificatePdf, Enrolment, User
from learners.progress.services import enrolment_create, lesson_complete

JOURNEY_SLUG = "load-journey"
CERTIFICATE_SLUG = "load-certificate"
LESSONS = 8
EMAIL_DOMAIN = "load-journey.capacitas.test"

_SENTENCES = (
    "International action starts from the priorities the council has already agreed. ",
    "A partnership that serves no local objective rarely survives the next budget. ",
    "Map who in the administration already works with partners abroad, and why. ",
    "Agree on a small number of goals, each with an owner, a budget line and a date. ",
    "Report results in the language of local services, not of diplomacy. ",
)


def _paragraph(n: int) -> str:
    # About 90 words per paragraph; nine make a lesson of roughly 800 words.
    return "<p>" + "".join(_SENTENCES[(n + i) % len(_SENTENCES)] for i in range(7)) + "</p>"


LESSON_BODY = [{"type": "paragraph", "value": _paragraph(n)} for n in range(9)]

QUIZ_QUESTIONS = [
    {
        "type": "single_choice",
        "value": {
            "text": f"Question {n}: what should an international partnership serve first?",
            "points": 1,
            "choices": [
                {"text": "A local objective the council agreed", "correct": True, "feedback": ""},
                {"text": "The visibility of the mayor", "correct": False, "feedback": ""},
                {"text": "The partner's own agenda", "correct": False, "feedback": ""},
            ],
        },
    }
    for n in range(1, 5)
]


def _publish(page) -> None:
    page.save_revision().publish()


class Command(BaseCommand):
    help = "Make N enrolled learners with logged-in sessions for benchmarks/load.py."

    def add_arguments(self, parser):
        parser.add_argument("--learners", type=int, default=50)
        parser.add_argument("--output", required=True, help="JSON file for benchmarks/load.py.")
        parser.add_argument(
            "--allow-production-settings",
            action="store_true",
            help="Run under production settings: only against a throwaway database "
            "(`make serve`, the CI load step). It adds learners and courses.",
        )

    def handle(self, *args, learners: int, output: str, allow_production_settings: bool, **opts):
        if settings.SETTINGS_MODULE.endswith(".production") and not allow_production_settings:
            raise CommandError(
                "prepare_load_journey adds learners and courses; under production settings it "
                "needs --allow-production-settings (a throwaway database only)."
            )
        if learners < 1:
            raise CommandError("--learners must be at least 1.")
        started = time.monotonic()
        journey, lessons, quiz = self._journey_course()
        certificate_course, certificate_lesson = self._certificate_course()
        people = self._learners(learners)
        rendered = 0
        entries = []
        for user in people:
            enrolment_create(user=user, course=journey)
            enrolment, _created = enrolment_create(user=user, course=certificate_course)
            lesson_complete(user=user, enrolment=enrolment, lesson=certificate_lesson)
            enrolment.refresh_from_db()
            certificate, _created = certificate_issue(enrolment=enrolment)
            for stored in CertificatePdf.objects.filter(certificate=certificate):
                if not stored.file.storage.exists(stored.file.name):
                    # A database reused with another file folder: render the PDF again.
                    stored.delete()
            # Rendered now, not by the worker: the download step must find a PDF from the start.
            rendered += certificate_pdf_store(certificate_id=certificate.pk)
            entries.append(
                {
                    "email": user.email,
                    "session": self._session(user),
                    "certificate": Certificate.objects.get(pk=certificate.pk).display_code,
                }
            )
        plan = {
            "session_cookie": settings.SESSION_COOKIE_NAME,
            "csrf_cookie": settings.CSRF_COOKIE_NAME,
            "course_url": journey.get_url(),
            "lessons": [{"id": lesson.pk, "url": lesson.get_url()} for lesson in lessons],
            "quiz": {"id": quiz.pk, "url": quiz.get_url()},
            "learners": entries,
        }
        Path(output).write_text(json.dumps(plan, indent=1))
        enrolled = Enrolment.objects.filter(course=journey, user__in=people).count()
        with_pdf = (
            Certificate.objects.filter(user__in=people, course_id=certificate_course.pk)
            .filter(pdfs__isnull=False)
            .distinct()
            .count()
        )
        self.stdout.write(
            f"{len(entries)} learners ready ({enrolled} enrolled in {journey.title!r}, "
            f"{with_pdf} with a certificate PDF, {rendered} rendered now) "
            f"in {time.monotonic() - started:.1f} s: {output}"
        )

    def _journey_course(self):
        catalogue = ensure_catalogue(ensure_home())
        course = CoursePage.objects.filter(slug=JOURNEY_SLUG).first()
        if course is None:
            with transaction.atomic():
                course = CoursePage(
                    title="Load journey",
                    slug=JOURNEY_SLUG,
                    summary="A course for the load test: lessons, a quiz and progress.",
                )
                catalogue.add_child(instance=course)
                _publish(course)
                module = ModulePage(title="Module 1", slug="module-1")
                course.add_child(instance=module)
                _publish(module)
                for n in range(1, LESSONS + 1):
                    lesson = LessonPage(
                        title=f"Lesson {n}",
                        slug=f"lesson-{n}",
                        estimated_minutes=8,
                        body=LESSON_BODY,
                    )
                    module.add_child(instance=lesson)
                    _publish(lesson)
                quiz = QuizPage(
                    title="Module quiz",
                    slug="module-quiz",
                    pass_mark=50,
                    attempts_allowed=0,  # unlimited: every round of the journey starts one
                    review_policy=ReviewPolicy.FULL_REVIEW,
                    questions=QUIZ_QUESTIONS,
                )
                module.add_child(instance=quiz)
                _publish(quiz)
        lessons = list(LessonPage.objects.live().descendant_of(course).order_by("path"))
        quiz = QuizPage.objects.live().descendant_of(course).get()
        return course, lessons, quiz

    def _certificate_course(self):
        catalogue = ensure_catalogue(ensure_home())
        course = CoursePage.objects.filter(slug=CERTIFICATE_SLUG).first()
        if course is None:
            with transaction.atomic():
                course = CoursePage(
                    title="Load certificate",
                    slug=CERTIFICATE_SLUG,
                    summary="One lesson: completing it earns the certificate to download.",
                )
                catalogue.add_child(instance=course)
                _publish(course)
                module = ModulePage(title="Module 1", slug="module-1")
                course.add_child(instance=module)
                _publish(module)
                lesson = LessonPage(title="The only lesson", slug="lesson-1", body=LESSON_BODY[:2])
                module.add_child(instance=lesson)
                _publish(lesson)
        return course, LessonPage.objects.live().descendant_of(course).get()

    def _learners(self, count: int) -> list[User]:
        emails = [f"learner{n:05d}@{EMAIL_DOMAIN}" for n in range(1, count + 1)]
        existing = set(User.objects.filter(email__in=emails).values_list("email", flat=True))
        fresh = [
            User(email=email, full_name=f"Load Learner {n:05d}")
            for n, email in enumerate(emails, start=1)
            if email not in existing
        ]
        for user in fresh:
            # Nobody logs in with a password: the sessions below are made directly.
            user.set_unusable_password()
        User.objects.bulk_create(fresh)
        by_email = {user.email: user for user in User.objects.filter(email__in=emails)}
        return [by_email[email] for email in emails]

    def _session(self, user: User) -> str:
        store = import_module(settings.SESSION_ENGINE).SessionStore()
        store[SESSION_KEY] = str(user.pk)
        store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        store[HASH_SESSION_KEY] = user.get_session_auth_hash()
        store.save()
        return store.session_key
