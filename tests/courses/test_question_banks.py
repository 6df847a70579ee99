"""Question banks: quizzes draw from them by outcome and count, attempts freeze what was drawn,
and trainers import (all or nothing) and export GIFT and CSV."""

import csv
import io
import random

import pytest
from django.urls import reverse

from courses.models import QuestionBank
from courses.question_csv import parse_csv, to_csv
from courses.question_import import (
    ImportRefused,
    bank_export,
    bank_questions_import,
    preview_import,
)
from courses.selectors.quizzes import quiz_questions_for_attempt
from learners.attempts.services import attempt_start
from learners.progress.services import enrolment_create
from tests.factories import UserFactory, make_course, make_quiz, quiz_question

pytestmark = pytest.mark.django_db

GOOD_GIFT = """// [tag:LO1]
Cities can twin with more than one partner. {TRUE}

// [tag:LO2]
::Q2:: Which body approves the budget? {=The council ~The mayor alone ~The embassy}

// [tag:LO2]
Name the EU programme for cities. {=URBACT}
"""

BAD_GIFT = """Good question {=yes ~no}

Broken question {=yes ~no

No right answer {~a ~b}
"""

GOOD_CSV = """type,question,points,outcome,explanation,answers
single_choice,Which body approves the budget?,2,LO2,It votes it.,*The council | The mayor
true_false,Cities can twin with several partners.,1,LO1,,true
matching,Match the role.,1,LO3,,Council => decides | Mayor => represents
"""

BAD_CSV = """type,question,points,outcome,explanation,answers
single_choice,Which body?,2,LO2,,The council | The mayor
essay,Write an essay,1,,,
true_false,Twin?,1,,,maybe
"""


def _bank(name="Budget bank", questions=None, course=None):
    return QuestionBank.objects.create(
        name=name,
        course=course,
        questions=questions
        if questions is not None
        else [
            {
                **quiz_question(i, "single_choice"),
                "value": {**quiz_question(i, "single_choice")["value"], "outcome": f"LO{i % 2}"},
            }
            for i in range(6)
        ],
    )


def _published_quiz_drawing(bank, *, count: int, learner):
    """A published one-question quiz that also draws `count` questions from `bank`, in a new
    course `learner` is enrolled in."""
    tree = make_course(modules=1, lessons_per_module=1)
    quiz = make_quiz(tree.modules[0], questions=1)
    quiz.bank_draws = [{"type": "draw", "value": {"bank": bank.pk, "outcome": "", "count": count}}]
    quiz.save_revision().publish()
    quiz.refresh_from_db()
    enrolment_create(user=learner, course=tree.course)
    return quiz


@pytest.fixture
def admin(db):
    return UserFactory(is_superuser=True, is_staff=True)


def test_a_quiz_draws_by_outcome_and_count_after_its_own_questions():
    tree = make_course(modules=1, lessons_per_module=1)
    bank = _bank(course=tree.course)
    quiz = make_quiz(tree.modules[0], questions=2)
    quiz.bank_draws = [{"type": "draw", "value": {"bank": bank.pk, "outcome": "lo1", "count": 2}}]
    quiz.save()
    questions = quiz_questions_for_attempt(quiz, rng=random.Random(4))
    assert len(questions) == 4
    drawn = questions[2:]
    assert all(q["id"].startswith(f"bank{bank.pk}_") for q in drawn)
    assert all(q["outcome"] == "LO1" for q in drawn)
    assert len({q["id"] for q in drawn}) == 2
    assert quiz.question_count == 4


def test_a_draw_larger_than_the_bank_takes_what_there_is_and_deleted_banks_draw_nothing():
    tree = make_course(modules=1, lessons_per_module=1)
    bank = _bank()
    quiz = make_quiz(tree.modules[0], questions=1)
    quiz.bank_draws = [
        {"type": "draw", "value": {"bank": bank.pk, "outcome": "", "count": 50}},
        {"type": "draw", "value": {"bank": 999_999, "outcome": "", "count": 3}},
    ]
    quiz.save()
    assert len(quiz_questions_for_attempt(quiz, rng=random.Random(1))) == 1 + 6


def test_the_attempt_snapshot_keeps_the_drawn_questions_after_the_bank_changes(learner):
    bank = _bank()
    quiz = _published_quiz_drawing(bank, count=3, learner=learner)
    attempt = attempt_start(user=learner, quiz=quiz)
    assert len(attempt.snapshot) == 4
    shown = [q["text"] for q in attempt.snapshot]
    bank.questions = []
    bank.save()
    attempt.refresh_from_db()
    assert [q["text"] for q in attempt.snapshot] == shown


def test_good_gift_file_imports_every_question():
    bank = _bank(questions=[])
    assert bank_questions_import(bank=bank, text=GOOD_GIFT, file_format="gift") == 3
    bank.refresh_from_db()
    kinds = [item["type"] for item in bank.questions.raw_data]
    assert kinds == ["true_false", "single_choice", "short_text"]
    assert [item["value"]["outcome"] for item in bank.questions.raw_data] == ["LO1", "LO2", "LO2"]


def test_a_refused_file_imports_nothing_and_names_each_bad_line():
    bank = _bank(questions=[])
    preview = preview_import(text=BAD_GIFT, file_format="gift")
    assert [error.line for error in preview.errors] == [3, 5]
    assert not preview.acceptable
    with pytest.raises(ImportRefused):
        bank_questions_import(bank=bank, text=BAD_GIFT, file_format="gift")
    bank.refresh_from_db()
    assert bank.questions.raw_data == [] or len(bank.questions.raw_data) == 0


def test_good_and_bad_csv():
    parsed, errors = parse_csv(GOOD_CSV)
    assert errors == [] and [q.line for q in parsed] == [2, 3, 4]
    assert parsed[0].block["value"]["choices"][0] == {
        "text": "The council",
        "correct": True,
        "feedback": "",
    }
    assert parsed[2].block["value"]["pairs"][1] == {"prompt": "Mayor", "match": "represents"}
    _parsed, errors = parse_csv(BAD_CSV)
    assert [(e.line, e.message.split(" ")[0]) for e in errors] == [
        (2, "Mark"),
        (3, "Unknown"),
        (4, "A"),
    ]
    _parsed, errors = parse_csv("question,answers\nx,y\n")
    assert errors[0].line == 1 and "Missing columns" in errors[0].message


def test_csv_round_trip():
    parsed, _errors = parse_csv(GOOD_CSV)
    blocks = [q.block for q in parsed]
    again, errors = parse_csv(to_csv(blocks))
    assert errors == [] and [q.block for q in again] == blocks


def test_block_rules_apply_to_imports():
    too_long = "x" * 401
    text = (
        f"type,question,points,outcome,explanation,answers\nsingle_choice,Q,1,,,*{too_long} | b\n"
    )
    preview = preview_import(text=text, file_format="csv")
    assert [error.line for error in preview.errors] == [2]


def test_export_then_import_gives_the_same_questions():
    bank = _bank()
    for file_format in ("gift", "csv"):
        target = _bank(name=f"Copy {file_format}", questions=[])
        bank_questions_import(
            bank=target, text=bank_export(bank, file_format), file_format=file_format
        )
        target.refresh_from_db()
        texts = [item["value"]["text"] for item in target.questions.raw_data]
        assert texts == [item["value"]["text"] for item in bank.questions.raw_data]


def test_admin_upload_preview_confirm(client, admin):
    bank = _bank(questions=[])
    client.force_login(admin)
    url = reverse("question_bank_import", args=[bank.pk])
    assert client.get(url).status_code == 200
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("bank.gift", GOOD_GIFT.encode())
    preview = client.post(url, {"file_format": "gift", "file": upload})
    html = preview.content.decode()
    assert preview.status_code == 200 and "Import 3 questions" in html
    bank.refresh_from_db()
    assert len(bank.questions.raw_data) == 0  # nothing before confirming
    done = client.post(url, {"file_format": "gift", "content": GOOD_GIFT, "confirm": "1"})
    assert done.status_code == 302
    bank.refresh_from_db()
    assert len(bank.questions.raw_data) == 3


def test_admin_upload_of_a_bad_file_shows_lines_and_offers_no_import(client, admin):
    bank = _bank(questions=[])
    client.force_login(admin)
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("bank.csv", BAD_CSV.encode())
    html = client.post(
        reverse("question_bank_import", args=[bank.pk]), {"file_format": "csv", "file": upload}
    ).content.decode()
    assert "Line 2:" in html and "Line 3:" in html and "Line 4:" in html
    assert 'name="confirm"' not in html
    refused = client.post(
        reverse("question_bank_import", args=[bank.pk]),
        {"file_format": "csv", "content": BAD_CSV, "confirm": "1"},
    )
    assert refused.status_code == 400
    bank.refresh_from_db()
    assert len(bank.questions.raw_data) == 0


def test_export_downloads(client, admin):
    bank = _bank()
    client.force_login(admin)
    gift = client.get(reverse("question_bank_export", args=[bank.pk, "gift"]))
    assert gift.status_code == 200 and "attachment" in gift["Content-Disposition"]
    assert "{" in gift.content.decode()
    csv_response = client.get(reverse("question_bank_export", args=[bank.pk, "csv"]))
    assert csv_response.content.decode().startswith("type,question")


def test_import_needs_permission(client, learner):
    bank = _bank(questions=[])
    client.force_login(learner)
    response = client.get(reverse("question_bank_import", args=[bank.pk]))
    assert response.status_code in (302, 403)


def test_csv_export_neutralises_formula_cells_and_round_trips():
    """A question or answer a spreadsheet would run as a formula is exported with a leading
    quote, and the quote is taken off on import, so the file round-trips unchanged."""
    block = {
        "type": "short_text",
        "value": {
            "text": '=HYPERLINK("http://evil.example")',
            "points": 1,
            "outcome": "@outcome",
            "explanation": "-2 is the answer",
            "accepted_answers": ["+2", "-2"],
        },
    }
    text = to_csv([block])
    row = next(csv.reader(io.StringIO(text.splitlines()[1])))
    assert row[1] == '\'=HYPERLINK("http://evil.example")'
    assert row[3] == "'@outcome" and row[4] == "'-2 is the answer" and row[5] == "'+2 | -2"
    again, errors = parse_csv(text)
    assert errors == []
    value = again[0].block["value"]
    assert value["text"] == block["value"]["text"]
    assert value["outcome"] == "@outcome" and value["explanation"] == "-2 is the answer"
    assert value["accepted_answers"] == ["+2", "-2"]


def test_the_quiz_report_names_the_bank_of_each_drawn_question(client, learner, admin):
    from learners.attempts.selectors import quiz_report
    from learners.attempts.services import attempt_submit
    from tests.factories import correct_form

    questions = [quiz_question(i, "single_choice") for i in range(3)]
    for i, question in enumerate(questions):
        question["value"]["text"] = f"Banked question {i}"
    bank = _bank(name="Budget bank", questions=questions)
    quiz = _published_quiz_drawing(bank, count=3, learner=learner)
    attempt = attempt_start(user=learner, quiz=quiz)
    attempt_submit(user=learner, attempt=attempt, data=correct_form(attempt.snapshot))

    report = quiz_report(quiz)
    assert [q.bank for q in report.questions] == ["", "Budget bank", "Budget bank", "Budget bank"]
    assert sorted(q.text for q in report.questions[1:]) == [
        f"Banked question {i}" for i in range(3)
    ]
    assert all(q.stats.answered == 1 for q in report.questions)

    client.force_login(admin)
    html = client.get(reverse("quiz_report", args=[quiz.pk])).content.decode()
    assert "Banked question 2" in html and "Drawn from the bank “Budget bank”" in html
    assert "(removed question)" not in html
    rows = list(
        csv.reader(
            io.StringIO(client.get(reverse("quiz_report_csv", args=[quiz.pk])).content.decode())
        )
    )
    assert rows[3][-1] == "Question bank" and rows[-1][-1] == "Budget bank"

    # A question deleted from its bank since is still counted, as a removed question.
    bank.questions = questions[:1]
    bank.save()
    texts = [q.text for q in quiz_report(quiz).questions]
    assert texts.count("(removed question)") == 2 and "Banked question 0" in texts


def test_the_trainer_preview_lists_what_each_bank_draw_may_ask():
    tree = make_course(modules=1, lessons_per_module=1)
    bank = _bank(name="Budget bank")  # six questions, outcomes LO0 and LO1 in turn
    quiz = make_quiz(tree.modules[0], questions=1)
    quiz.bank_draws = [
        {"type": "draw", "value": {"bank": bank.pk, "outcome": "LO1", "count": 5}},
        {"type": "draw", "value": {"bank": 999_999, "outcome": "", "count": 2}},
    ]
    quiz.save()
    response = quiz.make_preview_request()
    html = response.rendered_content if hasattr(response, "rendered_content") else ""
    html = html or response.content.decode()
    assert "5 questions drawn at random from the bank “Budget bank”" in html
    assert "Learning outcome: LO1." in html and "The bank holds 3 questions for this draw." in html
    assert "Each attempt will get only 3 questions from it." in html
    for i in (1, 3, 5):  # the LO1 questions, with their answers
        assert f"Question {i}: which is right?" in html and f"EXPLANATION-{i}" in html
    assert "Question 2: which is right?" not in html
    assert "A draw from a question bank that no longer exists" in html


def test_learners_never_see_the_bank_preview(client, learner):
    quiz = _published_quiz_drawing(_bank(name="Budget bank"), count=2, learner=learner)
    client.force_login(learner)
    html = client.get(quiz.url).content.decode()
    assert "Budget bank" not in html and "EXPLANATION-" not in html
