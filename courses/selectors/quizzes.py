"""Quizzes: lookups, questions as plain data for scoring, summaries for dashboards and reports.

Every function here costs a fixed number of queries, whatever the size of the course.
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import QuerySet
from wagtail.models import Page

from courses.models import (
    CoursePage,
    QuestionBank,
    QuizPage,
)
from courses.selectors.outline import CourseOutline, live_quizzes_under


def is_quiz(page: Page) -> bool:
    return isinstance(page, QuizPage)


def get_live_quiz(quiz_id: int) -> QuizPage | None:
    """A live quiz with its questions (one query)."""
    return QuizPage.objects.live().filter(pk=quiz_id).first()


def get_quiz(quiz_id: int) -> QuizPage | None:
    return QuizPage.objects.filter(pk=quiz_id).first()


def is_final_assessment(quiz: Page) -> bool:
    return isinstance(quiz, QuizPage) and isinstance(quiz.get_parent().specific, CoursePage)


def _list_items(raw) -> list:
    # ListBlock data is stored either as plain values or as [{"type": "item", "value": ...}].
    return [
        item["value"] if isinstance(item, dict) and item.get("type") == "item" else item
        for item in raw or []
    ]


def quiz_questions_plain(quiz: QuizPage) -> list[dict]:
    """The quiz's questions as plain dicts for `courses.scoring`, keyed by stable block ids."""
    return questions_plain(quiz.questions.raw_data)


def quiz_questions_for_attempt(quiz: QuizPage, *, rng: random.Random) -> list[dict]:
    """What one attempt may ask: the quiz's own questions, then for each bank draw `count`
    questions picked at random from the bank (only those for the draw's outcome, when it names
    one; a question is never drawn twice). One query for the banks, whatever their number.

    The ids of drawn questions are prefixed with their bank, so they never collide with the
    quiz's own; the attempt's snapshot then freezes exactly what was shown.
    """
    questions = quiz_questions_plain(quiz)
    draws = [draw["value"] for draw in quiz.bank_draws.raw_data if draw.get("value")]
    bank_ids = {draw.get("bank") for draw in draws if draw.get("bank")}
    banks = {bank.pk: bank for bank in QuestionBank.objects.filter(pk__in=bank_ids)}
    taken: set[str] = set()
    for draw in draws:
        bank = banks.get(draw.get("bank"))
        if bank is None:
            continue  # a deleted bank draws nothing rather than breaking the quiz
        wanted = (draw.get("outcome") or "").strip().casefold()
        pool = [
            question
            for question in questions_plain(bank.questions.raw_data)
            if (not wanted or question["outcome"].strip().casefold() == wanted)
            and f"bank{bank.pk}_{question['id']}" not in taken
        ]
        count = min(int(draw.get("count") or 0), len(pool))
        for question in rng.sample(pool, count):
            question["id"] = f"bank{bank.pk}_{question['id']}"
            taken.add(question["id"])
            questions.append(question)
    return questions


def bank_draws_preview(quiz: QuizPage) -> list[dict]:
    """For a trainer's preview: each of the quiz's bank draws with the questions it may draw
    from (its bank's questions for the draw's outcome) and how many each attempt takes. One
    query for the banks, whatever their number."""
    draws = [draw["value"] for draw in quiz.bank_draws.raw_data if draw.get("value")]
    bank_ids = {draw.get("bank") for draw in draws if draw.get("bank")}
    banks = {bank.pk: bank for bank in QuestionBank.objects.filter(pk__in=bank_ids)}
    preview = []
    for draw in draws:
        bank = banks.get(draw.get("bank"))
        outcome = (draw.get("outcome") or "").strip()
        pool = [
            question
            for question in (questions_plain(bank.questions.raw_data) if bank else [])
            if not outcome or question["outcome"].strip().casefold() == outcome.casefold()
        ]
        preview.append(
            {
                "bank": bank.name if bank else "",
                "outcome": outcome,
                "count": min(int(draw.get("count") or 0), len(pool)),
                "asked": int(draw.get("count") or 0),
                "pool": pool,
            }
        )
    return preview


BANK_ID = re.compile(r"^bank(?P<bank>\d+)_(?P<question>.+)$")


def bank_questions_by_id(ids: Iterable[str]) -> dict[str, dict]:
    """The bank questions behind drawn ids (`bank<pk>_<block id>`, as attempts record them),
    as plain dicts carrying their bank's name under "bank"; one query whatever the number of
    banks. Ids of questions or banks deleted since are left out."""
    wanted: dict[int, set[str]] = {}
    for qid in ids:
        match = BANK_ID.match(qid)
        if match:
            wanted.setdefault(int(match["bank"]), set()).add(match["question"])
    found: dict[str, dict] = {}
    for bank in QuestionBank.objects.filter(pk__in=wanted):
        for question in questions_plain(bank.questions.raw_data):
            if question["id"] in wanted[bank.pk]:
                question["bank"] = bank.name
                found[f"bank{bank.pk}_{question['id']}"] = question
    return found


def questions_plain(raw_data) -> list[dict]:
    """Question blocks (a quiz's or a bank's raw StreamField data) as plain dicts."""
    questions = []
    for block in raw_data:
        value = dict(block["value"])
        item = {
            "id": block.get("id") or "",
            "type": block["type"],
            "text": value.get("text", ""),
            "points": int(value.get("points") or 1),
            "explanation": value.get("explanation", "") or "",
            "outcome": value.get("outcome", "") or "",
        }
        if block["type"] in ("single_choice", "multiple_choice"):
            item["choices"] = [dict(c) for c in _list_items(value.get("choices"))]
            item["scoring"] = value.get("scoring") or "all_or_nothing"
        elif block["type"] == "true_false":
            item["correct"] = str(value.get("correct", "true")).lower()
            item["feedback_true"] = value.get("feedback_true", "") or ""
            item["feedback_false"] = value.get("feedback_false", "") or ""
        elif block["type"] == "short_text":
            item["accepted_answers"] = [str(a) for a in _list_items(value.get("accepted_answers"))]
        elif block["type"] == "matching":
            item["pairs"] = [dict(p) for p in _list_items(value.get("pairs"))]
        questions.append(item)
    return questions


@dataclass(frozen=True)
class QuizSummary:
    id: int
    course_id: int
    title: str
    url: str
    attempts_allowed: int
    pass_mark: int
    required: bool
    is_final: bool


def quizzes_by_course(course_ids: Iterable[int]) -> dict[int, list[QuizSummary]]:
    """{course id: [live quizzes in tree order]} for many courses in two queries."""
    courses = list(CoursePage.objects.filter(pk__in=list(course_ids)).only("id", "path"))
    result: dict[int, list[QuizSummary]] = {course.pk: [] for course in courses}
    if not courses:
        return result
    by_path = {course.path: course.pk for course in courses}
    for quiz in live_quizzes_under(courses):
        course_id = next((cid for path, cid in by_path.items() if quiz.path.startswith(path)), None)
        if course_id is None:
            continue
        result[course_id].append(
            QuizSummary(
                id=quiz.pk,
                course_id=course_id,
                title=quiz.title,
                url=quiz.url,
                attempts_allowed=quiz.attempts_allowed,
                pass_mark=quiz.pass_mark,
                required=quiz.required_for_completion,
                is_final=quiz.path[: -Page.steplen] in by_path,
            )
        )
    return result


def quiz_summaries_of(outline: CourseOutline) -> list[QuizSummary]:
    """The live quizzes of a course from its cached outline (no query): module quizzes in
    module order, then the course's own (its final assessment), as the course page lists them."""
    module_quizzes = [q for module in outline.modules for q in module.quizzes]
    return [
        QuizSummary(
            id=quiz.id,
            course_id=outline.course_id,
            title=quiz.title,
            url=quiz.url,
            attempts_allowed=quiz.attempts_allowed,
            pass_mark=quiz.pass_mark,
            required=quiz.required,
            is_final=is_final,
        )
        for quizzes, is_final in ((module_quizzes, False), (outline.course_items, True))
        for quiz in quizzes
    ]


def required_quiz_ids(course: Page) -> list[int]:
    """Live quizzes of the course that must be passed to complete it."""
    return list(
        QuizPage.objects.live()
        .descendant_of(course)
        .filter(required_for_completion=True)
        .values_list("id", flat=True)
    )


def final_assessment_id(course_id: int) -> int | None:
    course = CoursePage.objects.filter(pk=course_id).only("id", "path", "depth").first()
    if course is None:
        return None
    return QuizPage.objects.child_of(course).order_by("path").values_list("id", flat=True).first()


def quizzes_for_reports() -> QuerySet[QuizPage]:
    return QuizPage.objects.all().defer_streamfields().order_by("path")


# --- Certificates -------------------------------------------------------------------------------
