"""The reflection journal: private notes on reflection prompts, My notes, export, workbook seed."""

import csv
import io

import pytest
from django.urls import reverse

from learners.models import ReflectionNote
from learners.progress.services import enrolment_create
from tests.factories import LESSON_BODY, _publish, make_course, make_workbook

pytestmark = pytest.mark.django_db

PROMPT = {"type": "reflection", "id": "refl-1", "value": {"prompt": "Which partner matters most?"}}


@pytest.fixture
def reflective(learner):
    tree = make_course(modules=1, lessons_per_module=1)
    lesson = tree.lessons[0]
    lesson.body = [*LESSON_BODY, PROMPT]
    _publish(lesson)
    enrolment_create(user=learner, course=tree.course)
    return tree, lesson


def _save(client, lesson, text):
    return client.post(reverse("learn_note_save", args=[lesson.pk, "refl-1"]), {"text": text})


def test_reflection_box_saves_a_private_note(reflective, learner, learner_client):
    _tree, lesson = reflective
    html = learner_client.get(lesson.url).content.decode()
    assert reverse("learn_note_save", args=[lesson.pk, "refl-1"]) in html
    response = _save(learner_client, lesson, "Our twin city, =SUM(A1)")
    assert response.status_code == 302
    note = ReflectionNote.objects.get(user=learner)
    assert note.prompt == "Which partner matters most?" and note.lesson_title == lesson.title
    assert "Our twin city" in learner_client.get(lesson.url).content.decode()
    notes = learner_client.get(reverse("learn_notes")).content.decode()
    assert "Which partner matters most?" in notes and "Our twin city" in notes
    rows = list(
        csv.reader(io.StringIO(learner_client.get(reverse("learn_notes_csv")).content.decode()))
    )
    assert rows[1][3] == "Our twin city, =SUM(A1)"
    _save(learner_client, lesson, "")
    assert not ReflectionNote.objects.exists()  # an empty answer removes the note


def test_notes_are_private_and_need_enrolment(reflective, learner_client, other_learner, client):
    _tree, lesson = reflective
    _save(learner_client, lesson, "Mine")
    client.force_login(other_learner)
    assert "Mine" not in client.get(reverse("learn_notes")).content.decode()
    assert _save(client, lesson, "Not enrolled").status_code == 404
    unknown = client.post(reverse("learn_note_save", args=[lesson.pk, "nope"]), {"text": "x"})
    assert unknown.status_code == 404


def test_oversized_note_is_refused(reflective, learner_client):
    _tree, lesson = reflective
    _save(learner_client, lesson, "Kept")
    _save(learner_client, lesson, "x" * 5001)
    assert ReflectionNote.objects.get().text == "Kept"


def test_workbook_offers_earlier_reflections(reflective, learner_client):
    tree, lesson = reflective
    _save(learner_client, lesson, "Start from Porto")
    page = make_workbook(tree.course, seed_lesson_id=lesson.pk)
    html = learner_client.get(reverse("learn_workbook", args=[page.pk])).content.decode()
    assert "Start from your reflections" in html and "Start from Porto" in html


def test_my_learning_links_my_notes(learner_client):
    assert reverse("learn_notes") in learner_client.get(reverse("learn_dashboard")).content.decode()


def test_a_note_never_reaches_another_reader_of_the_cached_lesson(
    reflective, learner_client, other_learner, client
):
    tree, lesson = reflective
    learner_client.get(lesson.url)  # the body is cached by this first reading
    _save(learner_client, lesson, "Private to Lea")
    assert "Private to Lea" in learner_client.get(lesson.url).content.decode()
    enrolment_create(user=other_learner, course=tree.course)
    client.force_login(other_learner)
    html = client.get(lesson.url).content.decode()
    assert "Private to Lea" not in html
    assert reverse("learn_note_save", args=[lesson.pk, "refl-1"]) in html
