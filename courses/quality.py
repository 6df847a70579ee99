"""Checks on how a quiz is written, as a pure function over plain question dicts.

Used by the test suite on the demo course, and usable by any tool that reads quizzes
(`courses.selectors.quiz_questions_plain` gives the same dict shape). The rules are the ones a
reviewer applies by eye: a test-wise learner should not be able to pass by picking the longest
(or the shortest) option, and every item should say which course learning outcome it assesses.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from django.utils.translation import gettext

# Above this share of single-choice items where the correct option is (or ties for) the
# longest, "pick the longest" becomes a winning strategy.
LONGEST_CORRECT_LIMIT = 0.4
OUTCOME_CODE = re.compile(r"^\s*LO\s*(\d+)\s*$", re.IGNORECASE)


@dataclass(frozen=True)
class QuizProblem:
    code: str  # "longest_correct", "shortest_correct", "missing_outcome", "unknown_outcome"
    message: str
    question: int | None = None  # 1-based position of the question, None for the whole quiz


def _normalise(text: str) -> str:
    return " ".join(text.split()).casefold()


def outcome_is_known(tag: str, outcomes: Sequence[str]) -> bool:
    """True when `tag` is "LO<n>" for an outcome in the list, or one outcome's full text."""
    match = OUTCOME_CODE.match(tag)
    if match:
        return 1 <= int(match.group(1)) <= len(outcomes)
    return _normalise(tag) in {_normalise(o) for o in outcomes}


def correct_is_longest(question: Mapping) -> bool:
    """The correct choice of a single-choice item is at least as long as every other choice."""
    choices = list(question.get("choices") or [])
    correct = [len(c["text"].strip()) for c in choices if c.get("correct")]
    others = [len(c["text"].strip()) for c in choices if not c.get("correct")]
    return bool(correct and others) and correct[0] >= max(others)


def correct_is_shortest(question: Mapping) -> bool:
    """The correct choice of a single-choice item is no longer than any other choice."""
    choices = list(question.get("choices") or [])
    correct = [len(c["text"].strip()) for c in choices if c.get("correct")]
    others = [len(c["text"].strip()) for c in choices if not c.get("correct")]
    return bool(correct and others) and correct[0] <= min(others)


def quiz_problems(
    questions: Sequence[Mapping], *, outcomes: Sequence[str] | None = None
) -> list[QuizProblem]:
    """What a reviewer would send back about this quiz; an empty list means none.

    `outcomes` are the course's learning outcomes in their published order; when given, every
    outcome tag must name one of them.
    """
    problems: list[QuizProblem] = []
    singles = [q for q in questions if q.get("type") == "single_choice"]
    longest = sum(1 for q in singles if correct_is_longest(q))
    shortest = sum(1 for q in singles if correct_is_shortest(q))
    if singles and longest / len(singles) > LONGEST_CORRECT_LIMIT:
        problems.append(
            QuizProblem(
                code="longest_correct",
                message=gettext(
                    "The correct choice is the longest in %(longest)d of %(total)d "
                    "single-choice questions (the limit is %(limit)d%%)."
                )
                % {
                    "longest": longest,
                    "total": len(singles),
                    "limit": round(LONGEST_CORRECT_LIMIT * 100),
                },
            )
        )
    # The mirror image: authors who learn to avoid long correct answers often overcorrect.
    if singles and shortest / len(singles) > LONGEST_CORRECT_LIMIT:
        problems.append(
            QuizProblem(
                code="shortest_correct",
                message=gettext(
                    "The correct choice is the shortest in %(shortest)d of %(total)d "
                    "single-choice questions (the limit is %(limit)d%%)."
                )
                % {
                    "shortest": shortest,
                    "total": len(singles),
                    "limit": round(LONGEST_CORRECT_LIMIT * 100),
                },
            )
        )
    for position, question in enumerate(questions, start=1):
        tag = (question.get("outcome") or "").strip()
        if not tag:
            problems.append(
                QuizProblem(
                    code="missing_outcome",
                    message=gettext("No learning outcome tag."),
                    question=position,
                )
            )
        elif outcomes is not None and not outcome_is_known(tag, outcomes):
            problems.append(
                QuizProblem(
                    code="unknown_outcome",
                    message=gettext("The tag “%(tag)s” names no learning outcome of the course.")
                    % {"tag": tag},
                    question=position,
                )
            )
    return problems
