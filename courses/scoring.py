"""Quiz rules as pure functions over plain data: drawing, answer checking, scoring, analysis.

Nothing here touches the database, so every rule can be property-tested. An attempt's snapshot
is a list of question dicts (see `build_snapshot`); answers are keyed by question id.
"""

from __future__ import annotations

import math
import random
import statistics
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_DOWN, Decimal
from fractions import Fraction

CHOICE_TYPES = {"single_choice", "multiple_choice", "true_false"}
MAX_TEXT_ANSWER = 500
TWO_PLACES = Decimal("0.01")


# --- Short answers -----------------------------------------------------------------------------
def normalise_answer(text: str) -> str:
    """Compare short answers ignoring case, accents and extra spaces."""
    text = unicodedata.normalize("NFKD", text).casefold()
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return " ".join(text.split())


# --- Drawing an attempt ------------------------------------------------------------------------
def _opaque_id(rng: random.Random) -> str:
    # Random ids carry no hint of order or correctness into the learner's HTML.
    return f"{rng.getrandbits(48):012x}"


def build_snapshot(
    questions: Sequence[Mapping],
    *,
    rng: random.Random,
    draw_count: int | None = None,
    shuffle_questions: bool = False,
    shuffle_choices: bool = False,
) -> list[dict]:
    """Freeze the questions of one attempt: which, in what order, with which choice order.

    `questions` are plain question dicts as authored (see `courses.selectors.quiz_questions_plain`).
    The result holds everything needed to show, score and review the attempt later.
    """
    indexes = list(range(len(questions)))
    if draw_count and draw_count < len(indexes):
        indexes = sorted(rng.sample(indexes, draw_count))
    if shuffle_questions:
        rng.shuffle(indexes)
    snapshot = []
    for index in indexes:
        source = questions[index]
        kind = source["type"]
        item: dict = {
            "id": str(source["id"]),
            "type": kind,
            "text": source["text"],
            "points": int(source.get("points") or 1),
            "explanation": source.get("explanation", "") or "",
            # Kept with the attempt so results by outcome stay meaningful after edits.
            "outcome": source.get("outcome", "") or "",
        }
        if kind in ("single_choice", "multiple_choice"):
            choices = [
                {
                    "id": _opaque_id(rng),
                    "text": choice["text"],
                    "correct": bool(choice.get("correct")),
                    "feedback": choice.get("feedback", "") or "",
                }
                for choice in source["choices"]
            ]
            if shuffle_choices:
                rng.shuffle(choices)
            item["choices"] = choices
            if kind == "multiple_choice":
                item["scoring"] = source.get("scoring") or "all_or_nothing"
        elif kind == "true_false":
            correct = str(source["correct"]).lower() == "true"
            item["choices"] = [
                {
                    "id": "true",
                    "text": "True",
                    "correct": correct,
                    "feedback": source.get("feedback_true", "") or "",
                },
                {
                    "id": "false",
                    "text": "False",
                    "correct": not correct,
                    "feedback": source.get("feedback_false", "") or "",
                },
            ]
        elif kind == "short_text":
            item["accepted"] = [str(answer) for answer in source["accepted_answers"]]
        elif kind == "matching":
            pairs = [{"id": _opaque_id(rng), **dict(pair)} for pair in source["pairs"]]
            options = [{"id": _opaque_id(rng), "text": pair["match"]} for pair in pairs]
            # Options are always shuffled: in authored order they would give the answers away.
            rng.shuffle(options)
            by_text = {}
            for option in options:
                by_text.setdefault(option["text"], option["id"])
            item["pairs"] = [
                {"id": pair["id"], "prompt": pair["prompt"], "answer": by_text[pair["match"]]}
                for pair in pairs
            ]
            item["options"] = options
        else:
            raise ValueError(f"Unknown question type {kind!r}")
        snapshot.append(item)
    return snapshot


def public_question(question: Mapping) -> dict:
    """What the learner may see before submitting: no correct answers, feedback or explanation."""
    item = {k: question[k] for k in ("id", "type", "text", "points")}
    if "choices" in question:
        item["choices"] = [{"id": c["id"], "text": c["text"]} for c in question["choices"]]
    if "pairs" in question:
        item["pairs"] = [{"id": p["id"], "prompt": p["prompt"]} for p in question["pairs"]]
        item["options"] = [dict(o) for o in question["options"]]
    return item


# --- Checking submitted answers ----------------------------------------------------------------
class AnswerError(ValueError):
    """Submitted answers that do not fit the attempt's questions (tampered or malformed)."""


def field_name(question_id: str, pair_id: str | None = None) -> str:
    return f"q-{question_id}" if pair_id is None else f"q-{question_id}-{pair_id}"


def parse_answers(snapshot: Sequence[Mapping], data: Mapping[str, Sequence[str]]) -> dict:
    """Turn form fields ({name: [values]}) into answers, refusing anything that does not fit.

    Unanswered questions are simply absent; anything unexpected raises AnswerError.
    """
    expected: dict[str, tuple[Mapping, str | None]] = {}
    for question in snapshot:
        if question["type"] == "matching":
            for pair in question["pairs"]:
                expected[field_name(question["id"], pair["id"])] = (question, pair["id"])
        else:
            expected[field_name(question["id"])] = (question, None)
    answers: dict = {}
    for name, values in data.items():
        if not name.startswith("q-"):
            continue
        if name not in expected:
            raise AnswerError("unknown_question")
        question, pair_id = expected[name]
        values = [v for v in values if v != ""]
        if not values:
            continue
        kind = question["type"]
        if kind == "multiple_choice":
            ids = {c["id"] for c in question["choices"]}
            if len(values) != len(set(values)) or not set(values) <= ids:
                raise AnswerError("unknown_choice")
            answers[question["id"]] = sorted(values)
            continue
        if len(values) > 1:
            raise AnswerError("too_many_values")
        value = values[0]
        if kind in ("single_choice", "true_false"):
            if value not in {c["id"] for c in question["choices"]}:
                raise AnswerError("unknown_choice")
            answers[question["id"]] = value
        elif kind == "short_text":
            if len(value) > MAX_TEXT_ANSWER:
                raise AnswerError("too_long")
            if value.strip():
                answers[question["id"]] = value
        elif kind == "matching":
            if value not in {o["id"] for o in question["options"]}:
                raise AnswerError("unknown_choice")
            answers.setdefault(question["id"], {})[pair_id] = value
    return answers


# --- Scoring -----------------------------------------------------------------------------------
def score_question(question: Mapping, answer) -> Fraction:
    """Points earned, between 0 and the question's points."""
    points = Fraction(int(question["points"]))
    kind = question["type"]
    if answer is None:
        return Fraction(0)
    if kind in ("single_choice", "true_false"):
        correct = {c["id"] for c in question["choices"] if c["correct"]}
        return points if isinstance(answer, str) and answer in correct else Fraction(0)
    if kind == "multiple_choice":
        if not isinstance(answer, list | tuple | set):
            return Fraction(0)
        chosen = set(answer)
        correct = {c["id"] for c in question["choices"] if c["correct"]}
        if not correct:
            return Fraction(0)
        if question.get("scoring") == "partial":
            # Each right choice earns its share; each wrong one takes a share back (never < 0).
            net = len(chosen & correct) - len(chosen - correct)
            return points * Fraction(max(0, net), len(correct))
        return points if chosen == correct else Fraction(0)
    if kind == "short_text":
        if not isinstance(answer, str):
            return Fraction(0)
        given = normalise_answer(answer)
        accepted = {normalise_answer(a) for a in question["accepted"]}
        return points if given and given in accepted else Fraction(0)
    if kind == "matching":
        if not isinstance(answer, Mapping) or not question["pairs"]:
            return Fraction(0)
        right = sum(1 for pair in question["pairs"] if answer.get(pair["id"]) == pair["answer"])
        return points * Fraction(right, len(question["pairs"]))
    return Fraction(0)


@dataclass(frozen=True)
class AttemptScore:
    score: Decimal
    max_score: Decimal
    percent: Decimal
    results: dict  # {question id: {"earned": str, "points": int, "correct": bool}}

    def passed(self, pass_mark: int) -> bool:
        return self.percent >= pass_mark


def _down(value: Fraction) -> Decimal:
    # Rounding down: a near-perfect partial answer never shows as full marks.
    return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(
        TWO_PLACES, rounding=ROUND_DOWN
    )


def score_attempt(snapshot: Sequence[Mapping], answers: Mapping) -> AttemptScore:
    total = Fraction(0)
    earned_total = Fraction(0)
    results = {}
    for question in snapshot:
        points = Fraction(int(question["points"]))
        earned = score_question(question, answers.get(question["id"]))
        total += points
        earned_total += earned
        results[question["id"]] = {
            "earned": str(_down(earned)),
            "points": int(question["points"]),
            "correct": earned == points,
        }
    percent = _down(earned_total * 100 / total) if total else Decimal("0.00")
    return AttemptScore(
        score=_down(earned_total), max_score=_down(total), percent=percent, results=results
    )


# --- Item analysis for trainers ----------------------------------------------------------------
@dataclass(frozen=True)
class ItemStats:
    question_id: str
    answered: int
    difficulty: float | None  # share of attempts that got it right
    discrimination: float | None  # upper 27 % share correct minus lower 27 % share correct


def item_analysis(rows: Sequence[tuple[float, Mapping[str, bool]]]) -> dict[str, ItemStats]:
    """Per question difficulty and discrimination index over submitted attempts.

    `rows` are (attempt percent, {question id: answered correctly}). Groups are the top and
    bottom 27 % of attempts by score (at least one each); a question drawn in no attempt of a
    group has no discrimination index.
    """
    ranked = sorted(rows, key=lambda row: row[0])
    group = max(1, math.ceil(len(ranked) * 0.27)) if ranked else 0
    lower, upper = ranked[:group], ranked[-group:] if group else []
    question_ids: list[str] = []
    for _percent, results in ranked:
        for qid in results:
            if qid not in question_ids:
                question_ids.append(qid)

    def share(subset: Iterable[tuple[float, Mapping[str, bool]]], qid: str) -> float | None:
        seen = [results[qid] for _p, results in subset if qid in results]
        return sum(seen) / len(seen) if seen else None

    stats = {}
    for qid in question_ids:
        answered = sum(1 for _p, results in ranked if qid in results)
        high, low = share(upper, qid), share(lower, qid)
        stats[qid] = ItemStats(
            question_id=qid,
            answered=answered,
            difficulty=share(ranked, qid),
            discrimination=None if high is None or low is None else high - low,
        )
    return stats


def summary_stats(percents: Sequence[float]) -> tuple[float | None, float | None]:
    """(mean, median) of attempt percentages."""
    if not percents:
        return None, None
    return statistics.fmean(percents), statistics.median(percents)
