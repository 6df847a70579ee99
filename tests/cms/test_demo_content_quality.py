"""The flagship course reads as professional training: real sourced cases, quizzes that test
skill without giving answers away, and advertised hours that match the content.

The JSON checks need no database; the last test loads the course through the real loader and
checks what trainers and learners will actually get.
"""

import difflib
import json
import random
import re
from pathlib import Path

import pytest

from cms.demo.quizzes import load_quizzes
from cms.demo.site import load_site
from courses.models import CoursePage, LessonPage, QuizPage
from courses.quality import outcome_is_known, quiz_problems
from courses.scoring import build_snapshot
from courses.selectors.quizzes import quiz_questions_plain
from courses.study_time import QuizTime, study_hours

CONTENT = Path(__file__).resolve().parents[2] / "cms" / "demo" / "content"
FICTIONAL_COUNTRY = "Ardenia (fictional country)"
TAG = re.compile(r"<[^>]+>")

# Terms each quiz may use only once their module has taught them.
TAUGHT_IN = {
    "Sendai": 7,
    "Voluntary Local Review": 6,
    "Mercociudades": 6,
    "PLATFORMA": 6,
    "Global Covenant": 6,
    "URBACT": 5,
    "Interreg": 5,
    "CERV": 5,
    "development bank": 5,
    "subsidiarity": 4,
}


def read(name: str) -> dict:
    return json.loads((CONTENT / name).read_text(encoding="utf-8"))


COURSE = read("course.json")
MODULES = [read(p.name) for p in sorted(CONTENT.glob("module_*.json"))]
FINAL = read("final_assessment.json")
OUTCOMES = COURSE["learning_outcomes"]


def text_of(value) -> str:
    """The human-readable text of a block value: strings only, without URLs or markup."""
    if isinstance(value, dict):
        return " ".join(text_of(v) for k, v in value.items() if k not in ("type", "url", "level"))
    if isinstance(value, list):
        return " ".join(text_of(v) for v in value)
    return TAG.sub(" ", value) if isinstance(value, str) else ""


def lessons():
    for number, module in enumerate(MODULES, start=1):
        for lesson in module["lessons"]:
            yield number, lesson


def all_quizzes():
    for number, module in enumerate(MODULES, start=1):
        yield f"module {number}", module["quiz"]["questions"]
    yield "final assessment", FINAL["questions"]


@pytest.mark.parametrize("name,questions", list(all_quizzes()), ids=lambda v: str(v)[:20])
def test_every_quiz_passes_the_quality_check(name, questions):
    problems = quiz_problems(questions, outcomes=OUTCOMES)
    assert not problems, [(name, p.question, p.message) for p in problems]


def test_every_learning_outcome_is_assessed_by_module_quizzes_and_the_final():
    def tagged(questions):
        return {int(q["outcome"][2:]) for q in questions}

    modules = set().union(*(tagged(m["quiz"]["questions"]) for m in MODULES))
    assert modules == set(range(1, len(OUTCOMES) + 1))
    assert tagged(FINAL["questions"]) == set(range(1, len(OUTCOMES) + 1))
    assert all(outcome_is_known(q["outcome"], OUTCOMES) for _, qs in all_quizzes() for q in qs)


def test_final_settings_and_pool():
    assert FINAL["pass_mark"] == 70 and FINAL["attempts_allowed"] == 3
    assert FINAL["time_limit_minutes"] == 30 and FINAL["draw"] == 15
    assert len(FINAL["questions"]) >= 24


def test_final_items_do_not_repeat_module_items():
    module_texts = [q["text"] for m in MODULES for q in m["quiz"]["questions"]]
    for question in FINAL["questions"]:
        for other in module_texts:
            ratio = difflib.SequenceMatcher(None, question["text"], other).ratio()
            assert ratio < 0.6, (question["text"], other)


@pytest.mark.parametrize("term,module", sorted(TAUGHT_IN.items()))
def test_nothing_is_tested_before_it_is_taught(term, module):
    taught = " ".join(text_of(lesson["body"]) for n, lesson in lessons() if n == module)
    assert term.lower() in taught.lower(), f"{term} is not taught in module {module}"
    for number, data in enumerate(MODULES[: module - 1], start=1):
        assert term.lower() not in text_of(data["quiz"]).lower(), (term, number)


def test_short_text_answers_need_a_phrase_not_a_word():
    for name, questions in all_quizzes():
        for question in questions:
            if question["type"] == "short_text":
                single = [a for a in question["accepted_answers"] if len(a.split()) < 2]
                assert not single, (name, question["text"][:60], single)


def test_cases_are_real_and_sourced_or_labelled_fictional():
    real, fictional = [], []
    for _, lesson in lessons():
        blocks = lesson["body"]
        cases = [b["value"] for b in blocks if b["type"] == "case_study"]
        sources = [r for b in blocks if b["type"] == "resources" for r in b["value"]]
        for case in cases:
            assert isinstance(case["year"], int) and 1950 < case["year"] < 2030, case["title"]
            if "fictional" in (case["title"] + case["city"] + case["country"]).lower():
                assert case["title"].startswith("Fictional case:"), case["title"]
                assert case["country"] == FICTIONAL_COUNTRY, case["title"]
                assert "(fictional)" in case["city"], case["title"]
                fictional.append(case)
            else:
                assert sources, f"{case['title']}: no source in {lesson['slug']}'s resources"
                assert all(r["url"].startswith(("https://", "http://")) for r in sources)
                real.append(case)
    assert len(real) >= 12, [c["title"] for c in real]
    assert len(real) > len(fictional)
    cities = [c["city"] for c in real]
    assert len(set(cities)) == len(cities), "each real case is a different place"


def test_new_lessons_are_full_lessons():
    by_slug = {lesson["slug"]: lesson for _, lesson in lessons()}
    for slug in ("funding-international-action", "choosing-and-working-with-networks"):
        words = re.findall(r"\b[\w'’-]+\b", text_of(by_slug[slug]["body"]))
        assert len(words) >= 600, (slug, len(words))


def json_hours():
    return study_hours(
        lesson_minutes=[lesson["estimated_minutes"] for _, lesson in lessons()],
        quizzes=[QuizTime(questions=len(m["quiz"]["questions"])) for m in MODULES]
        + [QuizTime(questions=FINAL["draw"], time_limit_minutes=FINAL["time_limit_minutes"])],
    )


def test_advertised_hours_match_lessons_and_quizzes():
    assert float(json_hours()) == COURSE["estimated_hours"]


@pytest.mark.django_db
def test_the_loaded_course_keeps_outcome_tags_and_consistent_hours():
    course = load_site()["course"]
    load_quizzes(course)
    course = CoursePage.objects.get(pk=course.pk)
    outcomes = [block.value for block in course.learning_outcomes]
    assert outcomes == OUTCOMES
    quizzes = list(QuizPage.objects.descendant_of(course).live())
    assert len(quizzes) == len(MODULES) + 1
    for quiz in quizzes:
        questions = quiz_questions_plain(quiz)
        assert all(q["outcome"] for q in questions), quiz.title
        assert not quiz_problems(questions, outcomes=outcomes), quiz.title
        # Attempts keep the tag with the question as shown, so results by outcome survive edits.
        snapshot = build_snapshot(questions, rng=random.Random(1), draw_count=quiz.draw_count)
        assert all(outcome_is_known(item["outcome"], outcomes) for item in snapshot)
    expected = study_hours(
        lesson_minutes=LessonPage.objects.descendant_of(course).values_list(
            "estimated_minutes", flat=True
        ),
        quizzes=[QuizTime(q.question_count, q.time_limit_minutes) for q in quizzes],
    )
    assert course.estimated_hours == expected == json_hours()
