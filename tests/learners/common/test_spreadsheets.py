"""Every CSV/XLSX writer goes through learners.common.spreadsheets."""

import csv
import io

import pytest
from django.urls import reverse

from learners.common.spreadsheets import SafeCsvWriter, neutralise_cell, neutralise_row
from learners.progress.services import enrolment_create
from tests.factories import UserFactory, make_course, make_quiz, quiz_question

DANGEROUS = ["=1+1", "+1", "-1+2", "@SUM(A1)", "\t=cmd|' /C calc'!A0", "\r=1+1"]


@pytest.mark.parametrize("value", DANGEROUS)
def test_formula_prefixes_get_a_quote(value):
    assert neutralise_cell(value) == "'" + value


def test_numbers_and_plain_text_pass_and_controls_are_dropped():
    assert neutralise_row([-5, 2.5, None, "Ana", "a\x00b\x1fc"]) == [-5, 2.5, None, "Ana", "abc"]
    # A control character in front cannot hide a formula.
    assert neutralise_cell("\x01=1+1") == "'=1+1"


def test_safe_csv_writer():
    out = io.StringIO()
    SafeCsvWriter(out).writerow(["\t=evil", "ok"])
    assert next(csv.reader(io.StringIO(out.getvalue()))) == ["'\t=evil", "ok"]


@pytest.mark.django_db
def test_quiz_report_csv_neutralises_tab_and_cr_prefixed_question_texts(client):
    tree = make_course(modules=1, lessons_per_module=1)
    questions = []
    for i, text in enumerate(["\t=HYPERLINK(1)", "\r=1+1", "=2+2", "Plain"]):
        question = quiz_question(i, "true_false")
        question["value"]["text"] = text
        questions.append(question)
    quiz = make_quiz(tree.modules[0], question_data=questions)
    learner = UserFactory()
    enrolment_create(user=learner, course=tree.course)
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    response = client.get(reverse("quiz_report_csv", args=[quiz.pk]))
    assert response.status_code == 200
    assert {"private", "no-store"} <= {d.strip() for d in response["Cache-Control"].split(",")}
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    texts = [row[1] for row in rows[4:] if len(row) > 1]
    assert texts == ["'\t=HYPERLINK(1)", "'\r=1+1", "'=2+2", "Plain"]
