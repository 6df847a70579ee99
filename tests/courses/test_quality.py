"""`courses.quality.quiz_problems` catches the faults a reviewer looks for."""

from courses.quality import (
    correct_is_longest,
    correct_is_shortest,
    outcome_is_known,
    quiz_problems,
)

OUTCOMES = ["Explain the purposes.", "Design a plan.", "Choose networks."]


def single(correct: str, *wrong: str, outcome: str = "LO1") -> dict:
    choices = [{"text": correct, "correct": True}] + [{"text": w, "correct": False} for w in wrong]
    return {"type": "single_choice", "text": "?", "choices": choices, "outcome": outcome}


def test_a_quiz_where_the_longest_option_wins_is_refused():
    bad = [
        single("A long and carefully qualified correct answer", "Short", "Wrong"),
        single("Another long, hedged and plausible correct answer", "No", "Never"),
        single("Yes", "A long distractor that looks thorough"),
    ]
    problems = quiz_problems(bad, outcomes=OUTCOMES)
    assert [p.code for p in problems] == ["longest_correct"]
    assert "2 of 3" in problems[0].message


def test_the_overcorrection_where_the_shortest_option_wins_is_refused_too():
    bad = [
        single("Yes", "A long distractor", "Another one"),
        single("No", "A long distractor", "Another one"),
        single("A middling answer", "Short", "A very long distractor here"),
    ]
    assert [p.code for p in quiz_problems(bad, outcomes=OUTCOMES)] == ["shortest_correct"]


def test_at_the_limit_the_quiz_passes():
    # 2 of 5 longest and 2 of 5 shortest are exactly 40 %: allowed.
    quiz = [
        single("Long correct answer here", "Short", "Brief"),
        single("Long correct answer here", "Short", "Brief"),
        single("Short", "A longer distractor", "Another long one"),
        single("Short", "A longer distractor", "Another long one"),
        single("Middle length", "Short", "A much longer distractor"),
    ]
    assert quiz_problems(quiz, outcomes=OUTCOMES) == []


def test_a_tie_counts_against_the_quiz():
    assert correct_is_longest(single("Same length", "Same_length"))
    assert correct_is_shortest(single("Same length", "Same_length"))
    assert not correct_is_longest(single("Short", "Longer one"))
    assert not correct_is_shortest(single("Longer one", "Short"))


def test_items_without_or_with_unknown_outcomes_are_named_by_position():
    quiz = [
        single("Middle one", "Short", "A longer distractor", outcome=""),
        {"type": "true_false", "text": "?", "correct": "true", "outcome": "LO9"},
        {"type": "short_text", "text": "?", "accepted_answers": ["x"], "outcome": "Design a plan."},
        {"type": "matching", "text": "?", "pairs": [], "outcome": " lo3 "},
    ]
    problems = quiz_problems(quiz, outcomes=OUTCOMES)
    assert [(p.code, p.question) for p in problems] == [
        ("missing_outcome", 1),
        ("unknown_outcome", 2),
    ]
    # Without the course's outcomes, only missing tags are reported.
    assert [p.code for p in quiz_problems(quiz)] == ["missing_outcome"]


def test_outcome_tags_accept_codes_and_full_text():
    assert outcome_is_known("LO2", OUTCOMES)
    assert outcome_is_known("lo 3", OUTCOMES)
    assert outcome_is_known("  choose   NETWORKS. ", OUTCOMES)
    assert not outcome_is_known("LO0", OUTCOMES)
    assert not outcome_is_known("LO4", OUTCOMES)
    assert not outcome_is_known("Choose partners.", OUTCOMES)
