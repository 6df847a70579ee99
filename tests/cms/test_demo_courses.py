"""The demo's short courses are real courses, HR assigns only real courses, and every demo
record keeps a possible order in time (enrolled, then lessons and attempts, then completion,
then certificate)."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from wagtail.documents.models import Document
from wagtail.models import Page

from cms.demo.courses import course_names, read_course
from cms.demo.timeline import (
    attempts_outside_enrolment,
    certificates_before_completion,
    completions_before_enrolment,
    timeline_problems,
)
from courses.models import CompletionRule, CoursePage, LessonPage, QuizPage, ScormLessonPage
from courses.quality import quiz_problems
from courses.study_time import QuizTime, study_hours
from learners.models import Assignment, Certificate, Enrolment, QuizAttempt
from learners.progress.services import enrolment_create
from tests.cms.test_demo_loader import word_count
from tests.factories import UserFactory, make_course


def _counts() -> dict[str, int]:
    return {
        "documents": Document.objects.count(),
        "pages": Page.objects.count(),
        "attempts": QuizAttempt.objects.count(),
        "certificates": Certificate.objects.count(),
        "assignments": Assignment.objects.count(),
        "enrolments": Enrolment.objects.count(),
    }


def networks_course() -> CoursePage:
    return CoursePage.objects.get(slug=read_course("networks")["slug"])


def _quiz_shape_problems(name: str) -> list[str]:
    """The flagship's quality check (tags, longest or shortest correct option), and options of
    similar length, so that no item is answered by its shape."""
    data = read_course(name)
    questions = data["quiz"]["questions"]
    problems = [
        f"{name} question {p.question}: {p.message}"
        for p in quiz_problems(questions, outcomes=data["learning_outcomes"])
    ]
    for question in questions:
        if question["type"] != "single_choice":
            continue
        lengths = [len(c["text"]) for c in question["choices"]]
        if len(lengths) < 4 or max(lengths) > 1.5 * min(lengths):
            problems.append(f"{name}: options of unequal length in {question['text'][:40]!r}")
    return problems


@pytest.mark.parametrize("name", ["networks", "data_protection", "integrity"])
def test_short_course_quizzes_are_tagged_and_give_nothing_away_by_length(name):
    assert name in course_names()
    assert len(read_course(name)["quiz"]["questions"]) >= 5
    assert _quiz_shape_problems(name) == []


@pytest.mark.django_db
def test_the_timeline_checks_catch_records_out_of_order():
    course = make_course(modules=1, lessons_per_module=1).course
    enrolment, _ = enrolment_create(user=UserFactory(), course=course)
    assert not any(timeline_problems().values())
    earlier = enrolment.enrolled_at - timedelta(days=3)
    Enrolment.objects.filter(pk=enrolment.pk).update(completed_at=earlier)
    assert completions_before_enrolment() == [f"enrolment {enrolment.pk}"]
    enrolment.refresh_from_db()
    certificate = Certificate.objects.create(
        user=enrolment.user,
        enrolment=enrolment,
        course_id=course.pk,
        code="TEST-0001",
        holder_name="Person",
        course_title=course.title,
        completed_on=timezone.localdate(earlier),
        issued_at=earlier - timedelta(days=1),
    )
    assert certificates_before_completion() == [f"certificate {certificate.code}"]
    QuizAttempt.objects.create(
        user=enrolment.user,
        enrolment=enrolment,
        quiz_title="Quiz",
        pass_mark=70,
        review_policy="full",
        started_at=enrolment.enrolled_at - timedelta(hours=1),
    )
    assert len(attempts_outside_enrolment()) == 1


@pytest.mark.django_db
def test_load_demo_builds_real_short_courses_and_coherent_dates():
    call_command("load_demo", verbosity=0)
    for name in course_names():
        data = read_course(name)
        course = CoursePage.objects.get(slug=data["slug"])
        lessons = list(LessonPage.objects.descendant_of(course).live())
        assert len(lessons) >= 4, name
        # Written lessons teach in their text; a SCORM lesson's content is its package.
        short = [
            (lesson.slug, word_count(lesson))
            for lesson in lessons
            if not isinstance(lesson.specific, ScormLessonPage) and word_count(lesson) < 300
        ]
        assert not short, f"{name}: lessons under 300 words: {short}"
        quiz = QuizPage.objects.child_of(course).live().get()
        assert quiz.required_for_completion and len(quiz.questions) >= 5
        assert course.completion_rule == CompletionRule.LESSONS_AND_QUIZZES
        hours = study_hours(
            lesson_minutes=[lesson.estimated_minutes for lesson in lessons],
            quizzes=[QuizTime(len(quiz.questions), quiz.time_limit_minutes)],
        )
        assert course.estimated_hours == hours, name
    # HR assigns only real courses: several lessons and a final quiz.
    assigned = CoursePage.objects.filter(pk__in=Assignment.objects.values("course_id")).specific()
    assert assigned.count() == 3
    for course in assigned:
        assert LessonPage.objects.descendant_of(course).live().count() >= 4, course.slug
        assert QuizPage.objects.descendant_of(course).filter(required_for_completion=True)
    # The networks course teaches with the toolkit too.
    choosing = LessonPage.objects.descendant_of(networks_course()).get(slug="choosing-networks")
    linked = [b.value["document"].title for b in choosing.body if b.block_type == "document"]
    assert linked == ["Partner scoring sheet"]
    # Completing the short courses takes passing their quiz, and the certificates say so.
    networks = networks_course()
    certificate = Certificate.objects.get(course_id=networks.pk, user__email="learner@example.org")
    assert certificate.final_score is not None
    assert QuizAttempt.objects.filter(enrolment=certificate.enrolment, passed=True).exists()
    assert Certificate.objects.filter(course_id__in=assigned.values("pk")).exclude(
        course_id=CoursePage.objects.get(slug="international-action-local-governments").pk
    )
    # Every record of the demo, in order; a second load creates nothing and keeps the order.
    assert QuizAttempt.objects.exists() and Certificate.objects.count() >= 10
    assert timeline_problems() == {key: [] for key in timeline_problems()}
    counts = _counts()
    call_command("load_demo", verbosity=0)
    assert _counts() == counts
    assert timeline_problems() == {key: [] for key in timeline_problems()}
