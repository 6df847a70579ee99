"""Checks that the demo's learner records tell a possible story in time.

Used by the test suite after `load_demo`, and handy by hand (`manage.py shell`) after changing
the loader: each function returns the records that break an ordering, empty when all hold.
"""

from __future__ import annotations

from django.db.models import F, Q
from django.utils import timezone

from learners.models import (
    AssignedLearner,
    Certificate,
    Enrolment,
    EnrolmentSource,
    LessonProgress,
    QuizAttempt,
)


def completions_before_enrolment() -> list[str]:
    enrolments = Enrolment.objects.filter(
        Q(completed_at__lt=F("enrolled_at"))
        | Q(archived_at__lt=F("enrolled_at"))
        | Q(user__date_joined__gt=F("enrolled_at"))
    )
    lessons = LessonProgress.objects.filter(
        Q(first_viewed_at__lt=F("enrolment__enrolled_at"))
        | Q(completed_at__lt=F("enrolment__enrolled_at"))
        | Q(completed_at__gt=F("enrolment__completed_at"))
        | Q(last_viewed_at__lt=F("first_viewed_at"))
    )
    return [f"enrolment {e.pk}" for e in enrolments] + [f"lesson progress {p.pk}" for p in lessons]


def certificates_before_completion() -> list[str]:
    certificates = Certificate.objects.filter(
        Q(enrolment__completed_at__isnull=True) | Q(issued_at__lt=F("enrolment__completed_at"))
    )
    problems = [f"certificate {c.code}" for c in certificates]
    for certificate in Certificate.objects.select_related("enrolment"):
        completed = certificate.enrolment.completed_at
        if completed and certificate.completed_on < timezone.localdate(completed):
            problems.append(f"certificate {certificate.code} completed_on")
        if certificate.expires_on and certificate.expires_on <= certificate.completed_on:
            problems.append(f"certificate {certificate.code} expires_on")
    return problems


def attempts_outside_enrolment() -> list[str]:
    attempts = QuizAttempt.objects.filter(
        Q(started_at__lt=F("enrolment__enrolled_at"))
        | Q(submitted_at__lt=F("started_at"))
        | Q(submitted_at__gt=F("enrolment__completed_at"))
        | Q(submitted_at__gt=F("enrolment__archived_at"))
    )
    return [f"attempt {a.pk}" for a in attempts]


def assignments_after_enrolment() -> list[str]:
    late = AssignedLearner.objects.filter(
        user__enrolments__course_id=F("assignment__course_id"),
        user__enrolments__source=EnrolmentSource.ASSIGNED,
        user__enrolments__enrolled_at__lt=F("assignment__created_at"),
    )
    return [f"assigned learner {row.pk}" for row in late]


def timeline_problems() -> dict[str, list[str]]:
    return {
        "completion before enrolment": completions_before_enrolment(),
        "certificate before completion": certificates_before_completion(),
        "attempt outside its enrolment": attempts_outside_enrolment(),
        "assignment after the enrolment it made": assignments_after_enrolment(),
    }
