"""A learner with something of every kind on record, and another with records of their own."""

from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.utils import timezone

from learners.attempts.services import attempt_start, attempt_submit
from learners.hr.services import assignment_create
from learners.models import Certificate, QuizAttempt, User
from tests.factories import (
    DepartmentFactory,
    HROfficerRoleFactory,
    UserFactory,
    complete_course,
    make_course,
    make_quiz,
    wrong_form,
)

TYPED_ANSWER = "MY-OWN-TYPED-WORDS"


@dataclass
class Record:
    user: User
    certificate: Certificate
    attempt: QuizAttempt


def _learner_with_records(name: str, email: str, tree, quiz, officer, capture) -> Record:
    department = DepartmentFactory(
        organisation=officer.organisation, name=f"Unit {email.split('@')[0]}"
    )
    user = UserFactory(
        full_name=name,
        email=email,
        organisation=officer.organisation,
        department=department,
        job_title=f"Job of {name}",
    )
    with capture(execute=True):
        assignment_create(
            created_by=officer.user,
            course=tree.course,
            organisation=officer.organisation,
            target="individuals",
            due_on=timezone.localdate() + timedelta(days=30),
            learners=[user],
        )
        enrolment = complete_course(user, tree)
    attempt = attempt_start(user=user, quiz=quiz)
    data = wrong_form(attempt.snapshot)
    for question in attempt.snapshot:
        if question["type"] == "short_text":
            data[f"q-{question['id']}"] = [f"{TYPED_ANSWER} {name}"]
    attempt = attempt_submit(user=user, attempt=attempt, data=data)
    return Record(
        user=user, certificate=Certificate.objects.get(enrolment=enrolment), attempt=attempt
    )


@pytest.fixture
def course_with_quiz(db):
    tree = make_course(modules=1, lessons_per_module=2, title="International action basics")
    quiz = make_quiz(tree.modules[0], questions=5, pass_mark=60)
    return tree, quiz


@pytest.fixture
def officer(db):
    return HROfficerRoleFactory(user=UserFactory(full_name="Helga HR"))


@pytest.fixture
def holder(course_with_quiz, officer, django_capture_on_commit_callbacks) -> Record:
    tree, quiz = course_with_quiz
    return _learner_with_records(
        "Zoë Núñez-Papadopoulou",
        "zoe@portesmer.example",
        tree,
        quiz,
        officer,
        django_capture_on_commit_callbacks,
    )


@pytest.fixture
def bystander(course_with_quiz, officer, django_capture_on_commit_callbacks) -> Record:
    tree, quiz = course_with_quiz
    return _learner_with_records(
        "Bartholomew Bystander",
        "bart@portesmer.example",
        tree,
        quiz,
        officer,
        django_capture_on_commit_callbacks,
    )
