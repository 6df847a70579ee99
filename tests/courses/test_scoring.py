"""Property tests for the pure quiz rules in courses/scoring.py."""

import random
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from courses.scoring import (
    AnswerError,
    build_snapshot,
    item_analysis,
    normalise_answer,
    parse_answers,
    score_attempt,
    score_question,
)

ids = st.text(alphabet="abcdef0123456789", min_size=4, max_size=8)


@st.composite
def choice_question(draw, kind=None):
    kind = kind or draw(st.sampled_from(["single_choice", "multiple_choice"]))
    n = draw(st.integers(min_value=2, max_value=8))
    choice_ids = draw(st.lists(ids, min_size=n, max_size=n, unique=True))
    if kind == "single_choice":
        right = draw(st.integers(min_value=0, max_value=n - 1))
        flags = [i == right for i in range(n)]
    else:
        flags = draw(st.lists(st.booleans(), min_size=n, max_size=n).filter(any))
    return {
        "id": "q1",
        "type": kind,
        "text": "?",
        "points": draw(st.integers(min_value=1, max_value=10)),
        "scoring": draw(st.sampled_from(["partial", "all_or_nothing"])),
        "choices": [
            {"id": cid, "text": cid, "correct": flag, "feedback": ""}
            for cid, flag in zip(choice_ids, flags, strict=True)
        ],
    }


@given(choice_question(), st.data())
def test_score_between_zero_and_points(question, data):
    chosen = data.draw(st.lists(st.sampled_from([c["id"] for c in question["choices"]])))
    answer = chosen if question["type"] == "multiple_choice" else (chosen[:1] or [None])[0]
    score = score_question(question, answer)
    assert 0 <= score <= question["points"]


@given(choice_question(kind="multiple_choice"), st.data())
def test_full_marks_only_for_the_exact_correct_set(question, data):
    all_ids = [c["id"] for c in question["choices"]]
    correct = {c["id"] for c in question["choices"] if c["correct"]}
    chosen = set(data.draw(st.lists(st.sampled_from(all_ids), unique=True)))
    score = score_question(question, sorted(chosen))
    assert (score == question["points"]) == (chosen == correct)


@given(choice_question(kind="multiple_choice"), st.data())
def test_partial_credit_is_monotone(question, data):
    question = {**question, "scoring": "partial"}
    all_ids = [c["id"] for c in question["choices"]]
    correct = {c["id"] for c in question["choices"] if c["correct"]}
    chosen = set(data.draw(st.lists(st.sampled_from(all_ids), unique=True)))
    extra = data.draw(st.sampled_from(all_ids))
    before = score_question(question, sorted(chosen))
    after = score_question(question, sorted(chosen | {extra}))
    if extra in correct:
        assert after >= before
    else:
        assert after <= before


def test_partial_credit_values():
    q = {
        "id": "q",
        "type": "multiple_choice",
        "points": 2,
        "scoring": "partial",
        "choices": [
            {"id": "a", "correct": True},
            {"id": "b", "correct": True},
            {"id": "c", "correct": False},
        ],
    }
    assert score_question(q, ["a"]) == 1
    assert score_question(q, ["a", "b"]) == 2
    assert score_question(q, ["a", "c"]) == 0
    assert score_question(q, ["a", "b", "c"]) == 1
    assert score_question({**q, "scoring": "all_or_nothing"}, ["a"]) == 0


@given(st.text(max_size=40))
def test_normalisation_is_idempotent(text):
    once = normalise_answer(text)
    assert normalise_answer(once) == once


@given(st.text(alphabet="abcdefghijklmnopqrstuvwxyz ", max_size=30))
def test_normalisation_ignores_case_accents_and_spaces(text):
    accented = text.upper().replace("E", "É").replace("A", "À")
    spaced = "  " + "   ".join(accented.split(" ")) + " "
    assert normalise_answer(spaced) == normalise_answer(text)


def test_short_answer_scoring():
    q = {"id": "q", "type": "short_text", "points": 1, "accepted": ["Ciudad de México"]}
    assert score_question(q, "  ciudad DE   mexico ") == 1
    assert score_question(q, "ciudad") == 0
    assert score_question(q, "") == 0


@given(st.integers(min_value=2, max_value=6), st.data())
def test_matching_scores_share_of_pairs(n, data):
    pairs = [{"prompt": f"p{i}", "match": f"m{i}"} for i in range(n)]
    snapshot = build_snapshot(
        [{"id": "m", "type": "matching", "text": "?", "points": n, "pairs": pairs}],
        rng=random.Random(data.draw(st.integers())),
    )
    q = snapshot[0]
    options = [o["id"] for o in q["options"]]
    answer = {p["id"]: data.draw(st.sampled_from(options)) for p in q["pairs"]}
    right = sum(1 for p in q["pairs"] if answer[p["id"]] == p["answer"])
    assert score_question(q, answer) == Fraction(right)


@given(st.integers(min_value=1, max_value=30), st.integers(min_value=0, max_value=30), st.data())
def test_snapshot_draws_n_distinct_questions(pool, draw, data):
    questions = [
        {
            "id": f"id{i}",
            "type": "true_false",
            "text": f"t{i}",
            "points": 1,
            "correct": "true",
        }
        for i in range(pool)
    ]
    snapshot = build_snapshot(
        questions,
        rng=random.Random(data.draw(st.integers())),
        draw_count=draw or None,
        shuffle_questions=data.draw(st.booleans()),
    )
    expected = min(draw, pool) if draw else pool
    assert len(snapshot) == expected
    assert len({q["id"] for q in snapshot}) == expected


@given(st.data())
def test_attempt_score_within_bounds(data):
    from tests.factories import quiz_question

    plain = []
    for i in range(data.draw(st.integers(min_value=1, max_value=10))):
        block = quiz_question(i)
        value = block["value"]
        item = {"id": f"b{i}", "type": block["type"], **value}
        plain.append(item)
    snapshot = build_snapshot(plain, rng=random.Random(data.draw(st.integers())))
    # Random (possibly wrong) answers drawn from what the form could send.
    answers = {}
    for q in snapshot:
        if "choices" in q and data.draw(st.booleans()):
            pick = data.draw(st.sampled_from([c["id"] for c in q["choices"]]))
            answers[q["id"]] = [pick] if q["type"] == "multiple_choice" else pick
        elif q["type"] == "short_text":
            answers[q["id"]] = data.draw(st.text(max_size=20))
    result = score_attempt(snapshot, answers)
    assert 0 <= result.score <= result.max_score
    assert 0 <= result.percent <= 100


def test_parse_answers_refuses_tampering():
    snapshot = build_snapshot(
        [
            {
                "id": "q1",
                "type": "single_choice",
                "text": "?",
                "points": 1,
                "choices": [{"text": "a", "correct": True}, {"text": "b", "correct": False}],
            },
            {"id": "q2", "type": "short_text", "text": "?", "points": 1, "accepted_answers": ["x"]},
        ],
        rng=random.Random(1),
    )
    good = snapshot[0]["choices"][0]["id"]
    assert parse_answers(snapshot, {"q-q1": [good], "q-q2": ["x"]}) == {"q1": good, "q2": "x"}
    for bad in (
        {"q-q1": ["not-a-choice"]},
        {"q-q9": ["x"]},
        {"q-q1": [good, good]},
        {"q-q2": ["x" * 501]},
    ):
        with pytest.raises(AnswerError):
            parse_answers(snapshot, bad)


def test_item_analysis_difficulty_and_discrimination():
    rows = [(100.0, {"a": True, "b": True})] * 5 + [(20.0, {"a": False, "b": True})] * 5
    stats = item_analysis(rows)
    assert stats["a"].difficulty == 0.5
    assert stats["a"].discrimination == 1.0
    assert stats["b"].discrimination == 0.0
    assert item_analysis([]) == {}
