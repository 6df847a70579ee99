"""How long a course takes, from its lessons, quizzes and capstone workbooks, so the advertised
hours can be checked.

The course page and the certificate print `CoursePage.estimated_hours`, which a trainer types.
This pure function gives the figure the content itself implies, so a test (or a trainer's
report) can tell when the two drift apart.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

# Scenario questions take a civil servant about a minute and a half to read and answer.
MINUTES_PER_QUESTION = Decimal("1.5")


@dataclass(frozen=True)
class QuizTime:
    questions: int  # questions shown per attempt (the draw, when the quiz draws from a pool)
    time_limit_minutes: int | None = None


def quiz_minutes(quiz: QuizTime) -> Decimal:
    """A timed quiz takes its time limit; an untimed one, a minute and a half per question."""
    if quiz.time_limit_minutes:
        return Decimal(quiz.time_limit_minutes)
    return MINUTES_PER_QUESTION * quiz.questions


def study_minutes(
    *,
    lesson_minutes: Iterable[int],
    quizzes: Iterable[QuizTime],
    workbook_hours: Iterable[Decimal] = (),
) -> Decimal:
    """Lessons, quizzes and capstone workbooks (each trainer-estimated in hours), in minutes."""
    return (
        Decimal(sum(lesson_minutes))
        + sum((quiz_minutes(q) for q in quizzes), Decimal(0))
        + sum((Decimal(h) * 60 for h in workbook_hours), Decimal(0))
    )


def study_hours(
    *,
    lesson_minutes: Iterable[int],
    quizzes: Iterable[QuizTime],
    workbook_hours: Iterable[Decimal] = (),
) -> Decimal:
    """Study time in hours, rounded to the nearest half hour (the precision courses advertise)."""
    minutes = study_minutes(
        lesson_minutes=lesson_minutes, quizzes=quizzes, workbook_hours=workbook_hours
    )
    halves = (minutes / 30).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    return halves / 2
