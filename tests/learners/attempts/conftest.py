"""Fixtures shared by the quiz tests."""

import pytest

from learners.progress.services import enrolment_create
from tests.factories import make_course, make_quiz


@pytest.fixture
def quiz_course(db):
    return make_course(modules=2, lessons_per_module=1)


@pytest.fixture
def module_quiz(quiz_course):
    return make_quiz(quiz_course.modules[0], questions=5, pass_mark=60)


@pytest.fixture
def enrolment(learner, quiz_course):
    enrolment, _ = enrolment_create(user=learner, course=quiz_course.course)
    return enrolment
