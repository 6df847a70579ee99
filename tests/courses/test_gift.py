"""GIFT import and export: pure functions, checked on examples and by round trips."""

from hypothesis import given, settings
from hypothesis import strategies as st

from courses.gift import parse_gift, to_gift

TEXT = (
    st.text(
        alphabet=st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp")),
        min_size=1,
        max_size=40,
    )
    .map(str.strip)
    .filter(bool)
)
OPTIONAL = st.one_of(st.just(""), TEXT)
OUTCOME = st.one_of(st.just(""), st.from_regex(r"LO[1-9][0-9]?", fullmatch=True))
POINTS = st.integers(min_value=1, max_value=100)


def _common(draw):
    return {
        "text": draw(TEXT),
        "explanation": draw(OPTIONAL),
        "points": draw(POINTS),
        "outcome": draw(OUTCOME),
    }


@st.composite
def single_choice(draw):
    value = _common(draw)
    texts = draw(st.lists(TEXT, min_size=2, max_size=5))
    right = draw(st.integers(min_value=0, max_value=len(texts) - 1))
    value["choices"] = [
        {"text": text, "correct": i == right, "feedback": draw(OPTIONAL)}
        for i, text in enumerate(texts)
    ]
    return {"type": "single_choice", "value": value}


@st.composite
def multiple_choice(draw):
    value = _common(draw)
    texts = draw(st.lists(TEXT, min_size=2, max_size=5))
    marks = draw(st.lists(st.booleans(), min_size=len(texts), max_size=len(texts)))
    if not any(marks):
        marks[0] = True
    value["choices"] = [
        {"text": text, "correct": mark, "feedback": draw(OPTIONAL)}
        for text, mark in zip(texts, marks, strict=True)
    ]
    value["scoring"] = draw(st.sampled_from(["all_or_nothing", "partial"]))
    return {"type": "multiple_choice", "value": value}


@st.composite
def true_false(draw):
    value = _common(draw)
    value["correct"] = draw(st.sampled_from(["true", "false"]))
    value["feedback_true"] = draw(OPTIONAL)
    value["feedback_false"] = draw(OPTIONAL)
    return {"type": "true_false", "value": value}


@st.composite
def short_text(draw):
    value = _common(draw)
    value["accepted_answers"] = draw(st.lists(TEXT, min_size=1, max_size=4))
    return {"type": "short_text", "value": value}


@st.composite
def matching(draw):
    value = _common(draw)
    value["pairs"] = [
        {"prompt": draw(TEXT), "match": draw(TEXT)}
        for _ in range(draw(st.integers(min_value=2, max_value=4)))
    ]
    return {"type": "matching", "value": value}


QUESTION = st.one_of(single_choice(), multiple_choice(), true_false(), short_text(), matching())


@settings(max_examples=300, deadline=None)
@given(st.lists(QUESTION, min_size=1, max_size=5))
def test_gift_round_trip(blocks):
    parsed, errors = parse_gift(to_gift(blocks))
    assert errors == []
    assert [question.block for question in parsed] == blocks


def test_parses_the_moodle_examples():
    text = """// A comment Moodle ignores
::Capital:: What is the capital of France? {=Paris #Right. ~London #No, that is the UK. ~Rome}

// [tag:LO2]
// [points:3]
Which are twinning practices? {
  ~%50%Exchanges of staff
  ~%50%Joint projects
  ~%-100%Buying land abroad
  ####Twinning is about people and projects.
}

Cities may sign agreements abroad. {TRUE#Check your national law.#Yes, within limits.}

Name the EU programme for cities. {=URBACT =Urbact}

Match the body to its role. {
  =Council -> decides
  =Mayor -> represents
}
"""
    parsed, errors = parse_gift(text)
    assert errors == []
    kinds = [q.block["type"] for q in parsed]
    assert kinds == ["single_choice", "multiple_choice", "true_false", "short_text", "matching"]
    single, multiple, truth, short, pairs = (q.block["value"] for q in parsed)
    assert single["text"] == "What is the capital of France?"
    assert [c["correct"] for c in single["choices"]] == [True, False, False]
    assert single["choices"][1]["feedback"] == "No, that is the UK."
    assert multiple["points"] == 3 and multiple["outcome"] == "LO2"
    assert multiple["scoring"] == "partial"
    assert multiple["explanation"] == "Twinning is about people and projects."
    assert truth["correct"] == "true" and truth["feedback_true"] == "Yes, within limits."
    assert truth["feedback_false"] == "Check your national law."
    assert short["accepted_answers"] == ["URBACT", "Urbact"]
    assert pairs["pairs"][1] == {"prompt": "Mayor", "match": "represents"}
    assert [q.line for q in parsed] == [2, 6, 13, 15, 17]


def test_reports_every_bad_question_with_its_line():
    text = """Good question {=yes ~no}

A question without answers

Unclosed {=yes ~no

No right answer {~a ~b}

// [points:0]
Zero points {=a ~b}

Lonely pair {=a -> b}
"""
    parsed, errors = parse_gift(text)
    assert [q.line for q in parsed] == [1]
    assert [error.line for error in errors] == [3, 5, 7, 10, 12]
    assert "between { and }" in errors[0].message
    assert "not closed" in errors[1].message
    assert "correct" in errors[2].message
    assert "Points" in errors[3].message
    assert "two pairs" in errors[4].message
