"""One course, several languages, one record (issue 13, item 2)."""

import copy
import importlib
from decimal import Decimal

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import timezone

from courses.selectors.translations import canonical_page, canonical_pages, localized_page
from learners.attempts.selectors import quiz_status, quiz_statuses_for_outline
from learners.attempts.services import attempt_start, attempt_submit
from learners.models import Certificate, Enrolment, LessonProgress, QuizAttempt
from learners.progress.selectors import course_progress, enrolment_current, learner_dashboard
from learners.progress.services import enrolment_create, lesson_complete
from tests.factories import (
    correct_form,
    make_course,
    make_quiz,
    quiz_question,
    translate,
    wrong_form,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def bilingual():
    """A two-module course with every page translated into Spanish."""
    tree = make_course(modules=2, lessons_per_module=2, title="Planning abroad")
    course_es = translate(tree.course, title="Planificar en el exterior", slug="planificar")
    modules_es = [translate(m, title=f"Módulo {i}") for i, m in enumerate(tree.modules, 1)]
    lessons_es = [translate(lesson, title=f"Lección {lesson.title[7:]}") for lesson in tree.lessons]
    return tree, course_es, modules_es, lessons_es


def spanish_questions(count: int) -> list[dict]:
    questions = []
    for i in range(count):
        question = copy.deepcopy(quiz_question(i))
        question["value"]["text"] = f"Pregunta {i}: ¿cuál es la correcta?"
        for choice in question["value"].get("choices", []):
            choice["text"] = choice["text"].replace("Option", "Opción")
        questions.append(question)
    return questions


def outline_of(course):
    from courses.selectors.outline import course_outline

    return course_outline(course)


def test_selectors_find_the_canonical_page_and_back(bilingual):
    tree, course_es, _, lessons_es = bilingual
    assert canonical_page(course_es).pk == tree.course.pk
    assert canonical_page(tree.course) is tree.course
    assert {k: v.pk for k, v in canonical_pages([course_es, *lessons_es]).items()} == {
        course_es.pk: tree.course.pk,
        **{es.pk: en.pk for es, en in zip(lessons_es, tree.lessons, strict=True)},
    }
    assert localized_page(tree.course, "es").pk == course_es.pk
    assert localized_page(tree.course, "en").pk == tree.course.pk
    assert localized_page(tree.course, "fr").pk == tree.course.pk  # no translation: itself


def test_spanish_only_page_is_its_own_canonical_page(learner):
    tree = make_course(modules=1, lessons_per_module=1)
    course_es = translate(tree.course, title="Solo en español", slug="solo")
    # Remove the English original: the Spanish page now stands alone.
    tree.lessons[0].delete()
    tree.modules[0].delete()
    tree.course.delete()
    course_es.refresh_from_db()
    assert canonical_page(course_es).pk == course_es.pk
    enrolment, _ = enrolment_create(user=learner, course=course_es)
    assert enrolment.course_id == course_es.pk


def test_mixed_language_progress_is_one_record(learner, bilingual):
    tree, course_es, _, lessons_es = bilingual
    enrolment, created = enrolment_create(user=learner, course=tree.course)
    assert created
    # Lesson 3 read in Spanish, lesson 4 in English.
    lesson_complete(user=learner, enrolment=enrolment, lesson=lessons_es[2])
    lesson_complete(user=learner, enrolment=enrolment, lesson=tree.lessons[3])
    assert set(LessonProgress.objects.values_list("lesson_id", flat=True)) == {
        tree.lessons[2].pk,
        tree.lessons[3].pk,
    }
    assert Enrolment.objects.count() == 1
    english = course_progress(learner, outline_of(tree.course))
    spanish = course_progress(learner, outline_of(course_es))
    assert english.lessons_done == spanish.lessons_done == 2
    assert english.percent == spanish.percent == 50
    # The Spanish outline ticks its own lessons.
    assert spanish.completed_ids == {lessons_es[2].pk, lessons_es[3].pk}
    assert english.completed_ids == {tree.lessons[2].pk, tree.lessons[3].pk}


def test_enrolled_in_english_is_not_asked_to_enrol_on_the_spanish_course(
    learner_client, learner, bilingual
):
    tree, course_es, _, lessons_es = bilingual
    enrolment, _ = enrolment_create(user=learner, course=tree.course)
    response = learner_client.get(lessons_es[0].url)
    assert response.status_code == 200  # the gate lets the learner in
    page = learner_client.get(course_es.url).content.decode()
    assert reverse("learn_enrol", args=[course_es.pk]) not in page
    # Enrolling from the Spanish course page changes nothing.
    learner_client.post(reverse("learn_enrol", args=[course_es.pk]))
    assert list(Enrolment.objects.values_list("pk", flat=True)) == [enrolment.pk]
    # The Spanish view is recorded on the English lesson.
    assert LessonProgress.objects.get().lesson_id == tree.lessons[0].pk
    assert enrolment_current(learner, course_es.pk).pk == enrolment.pk


def test_enrolling_in_spanish_enrols_in_the_course(learner_client, learner, bilingual):
    tree, course_es, _, lessons_es = bilingual
    learner_client.post(reverse("learn_enrol", args=[course_es.pk]))
    assert Enrolment.objects.get().course_id == tree.course.pk
    response = learner_client.post(reverse("learn_complete_lesson", args=[lessons_es[1].pk]))
    assert response.status_code == 302
    assert LessonProgress.objects.get().lesson_id == tree.lessons[1].pk
    assert learner_client.get(tree.lessons[0].url).status_code == 200


def test_quiz_in_spanish_scored_with_the_synced_key_snapshot_in_spanish(learner, bilingual):
    tree, course_es, modules_es, _ = bilingual
    quiz = make_quiz(tree.modules[0], questions=5, attempts_allowed=2)
    quiz_es = translate(quiz, title="Cuestionario", questions=spanish_questions(5))
    enrolment, _ = enrolment_create(user=learner, course=course_es)

    attempt = attempt_start(user=learner, quiz=quiz_es)
    assert attempt.quiz_id == quiz.pk and attempt.enrolment_id == enrolment.pk
    assert attempt.language == "es" and attempt.quiz_title == "Cuestionario"
    assert all(q["text"].startswith("Pregunta") for q in attempt.snapshot)
    attempt = attempt_submit(user=learner, attempt=attempt, data=correct_form(attempt.snapshot))
    assert attempt.percent == Decimal("100.00") and attempt.passed

    # The attempt counts in both languages, and against one attempt limit.
    assert quiz_status(learner, enrolment, quiz).attempts_used == 1
    assert quiz_status(learner, enrolment, quiz_es).attempts_used == 1
    statuses_es = quiz_statuses_for_outline(enrolment, outline_of(course_es))
    assert statuses_es[quiz_es.pk].passed and statuses_es[quiz_es.pk].attempts_left == 1
    assert quiz_statuses_for_outline(enrolment, outline_of(tree.course))[quiz.pk].passed
    second = attempt_start(user=learner, quiz=quiz)
    assert second.language == "en" and second.number == 2
    second = attempt_submit(user=learner, attempt=second, data=wrong_form(second.snapshot))
    assert second.percent == Decimal("0.00")
    assert quiz_status(learner, enrolment, quiz_es).attempts_left == 0


def test_certificate_issued_once_whatever_language_completes_it(learner, bilingual):
    tree, course_es, _, lessons_es = bilingual
    enrolment, _ = enrolment_create(user=learner, course=course_es)
    for i, (en, es) in enumerate(zip(tree.lessons, lessons_es, strict=True)):
        lesson_complete(user=learner, enrolment=enrolment, lesson=es if i % 2 else en)
    # Completing again in the other language changes nothing.
    for es in lessons_es:
        assert not lesson_complete(user=learner, enrolment=enrolment, lesson=es)
    enrolment.refresh_from_db()
    assert enrolment.completed_at is not None
    certificate = Certificate.objects.get()
    assert certificate.course_id == tree.course.pk and certificate.enrolment_id == enrolment.pk


def test_learn_dashboard_counts_the_course_once(learner_client, learner, bilingual):
    tree, course_es, _, lessons_es = bilingual
    enrolment, _ = enrolment_create(user=learner, course=course_es)
    lesson_complete(user=learner, enrolment=enrolment, lesson=lessons_es[0])
    lesson_complete(user=learner, enrolment=enrolment, lesson=tree.lessons[1])
    dashboard = learner_dashboard(learner)
    assert len(dashboard.in_progress) == 1 and not dashboard.completed
    assert dashboard.in_progress[0].lessons_done == 2
    assert dashboard.in_progress[0].lessons_total == 4
    assert learner_client.get(reverse("learn_dashboard")).status_code == 200


def test_hr_counts_one_course(learner, bilingual):
    from learners.hr.selectors import scoped_rows

    tree, course_es, _, lessons_es = bilingual
    enrolment_create(user=learner, course=course_es)
    enrolment_create(user=learner, course=tree.course)
    from tests.factories import UserFactory

    admin = UserFactory(is_superuser=True, is_staff=True)
    rows = scoped_rows(admin, today=timezone.localdate())
    assert rows.filter(user=learner).count() == 1
    assert rows.get(user=learner).course_id == tree.course.pk


# --- The data migration ------------------------------------------------------------------------
def _repoint():
    migration = importlib.import_module("learners.migrations.0019_translated_records")
    migration.repoint_records(apps, None)


def test_migration_repoints_records_on_translated_pages(learner, bilingual):
    tree, course_es, _, lessons_es = bilingual
    quiz = make_quiz(tree.modules[0], questions=2)
    quiz_es = translate(quiz, title="Cuestionario")
    # Records as a Spanish page would have made them before records were canonical.
    enrolment = Enrolment.objects.create(user=learner, course=course_es, course_title="x")
    LessonProgress.objects.create(
        enrolment=enrolment, lesson=lessons_es[0], lesson_title="x", completed_at=timezone.now()
    )
    attempt = QuizAttempt.objects.create(
        user=learner,
        enrolment=enrolment,
        quiz=quiz_es,
        quiz_title="Cuestionario",
        pass_mark=50,
        review_policy="after_submit",
        started_at=timezone.now(),
    )
    _repoint()
    enrolment.refresh_from_db()
    attempt.refresh_from_db()
    assert enrolment.course_id == tree.course.pk
    assert LessonProgress.objects.get().lesson_id == tree.lessons[0].pk
    assert attempt.quiz_id == quiz.pk and attempt.language == "es"
    _repoint()  # idempotent
    assert Enrolment.objects.count() == 1 and LessonProgress.objects.count() == 1


def test_migration_merges_duplicate_enrolments_keeping_the_earliest(learner, bilingual):
    tree, course_es, _, lessons_es = bilingual
    now = timezone.now()
    english = Enrolment.objects.create(user=learner, course=tree.course, course_title="x")
    spanish = Enrolment.objects.create(user=learner, course=course_es, course_title="x")
    Enrolment.objects.filter(pk=spanish.pk).update(enrolled_at=now - timezone.timedelta(days=3))
    LessonProgress.objects.create(
        enrolment=english, lesson=tree.lessons[0], lesson_title="x", first_viewed_at=now
    )
    LessonProgress.objects.create(
        enrolment=english, lesson=tree.lessons[1], lesson_title="x", completed_at=now
    )
    earlier = now - timezone.timedelta(days=1)
    LessonProgress.objects.create(
        enrolment=spanish, lesson=lessons_es[0], lesson_title="x", completed_at=earlier
    )
    LessonProgress.objects.create(
        enrolment=spanish, lesson=lessons_es[2], lesson_title="x", completed_at=earlier
    )
    _repoint()
    kept = Enrolment.objects.get()
    assert kept.pk == spanish.pk and kept.course_id == tree.course.pk  # the earliest
    rows = dict(LessonProgress.objects.values_list("lesson_id", "completed_at"))
    assert rows == {
        tree.lessons[0].pk: earlier,  # united: the Spanish completion, the English view
        tree.lessons[1].pk: now,
        tree.lessons[2].pk: earlier,
    }
    assert LessonProgress.objects.get(lesson=tree.lessons[0]).first_viewed_at == now
    assert set(LessonProgress.objects.values_list("enrolment_id", flat=True)) == {kept.pk}


def test_hr_lists_a_translated_course_once(bilingual):
    from courses.selectors.certificates import courses_for_assignment

    tree, course_es, _, _ = bilingual
    solo = make_course(modules=1, lessons_per_module=1, title="Solo")
    solo_es = translate(solo.course, title="Solo ES", slug="solo-es")
    ids = [pk for pk, _ in courses_for_assignment()]
    assert tree.course.pk in ids and solo.course.pk in ids
    assert course_es.pk not in ids and solo_es.pk not in ids
