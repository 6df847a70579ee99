"""The benchmark course, identical on both sides: 20 lessons of about 800 words each.

Plain Python (no Django), imported by the Capacitas builder and by the peer's management
command, so both sites serve the same titles and the same words. The text is generated from a
fixed seed: no randomness between runs, no content files to keep in step.
"""

from __future__ import annotations

import random

COURSE_TITLE = "Benchmark course: planning international action"
COURSE_SLUG = "benchmark-course"
COURSE_SUMMARY = "Twenty lessons of about 800 words, the same on both sites of the benchmark."
LESSONS = 20
MODULES = 4  # Capacitas groups lessons in modules (5 each); the peer has no module level
PARAGRAPHS = 8
WORDS_PER_PARAGRAPH = 100
LEARNER_EMAIL = "bench-learner@example.org"
LEARNER_USERNAME = "bench-learner"
LEARNER_PASSWORD = "bench-learner-password"
MEASURED_LESSON = 10  # a lesson in the middle: previous and next links on both sides

_WORDS = (
    "city council mayor partner network agreement project budget strategy priority citizen "
    "resident service department official team plan objective indicator evaluation report "
    "cooperation exchange delegation visit programme funding grant call proposal partner "
    "region province municipality metropolitan association embassy ministry agency europe "
    "africa america asia climate mobility housing water energy culture tourism trade "
    "investment innovation university school youth women equality migration integration "
    "resilience risk procurement law mandate policy governance transparency accountability "
    "communication media campaign event forum summit declaration commitment goal target "
    "sustainable development local global action capacity knowledge practice lesson case "
    "study method tool template checklist meeting agenda minutes stakeholder community "
    "business chamber civil society organisation volunteer staff training skill learning"
)
VOCABULARY = _WORDS.split()


def _sentence(rng: random.Random) -> str:
    words = [rng.choice(VOCABULARY) for _ in range(rng.randint(8, 16))]
    return " ".join(words).capitalize() + "."


def paragraph_texts(lesson_number: int) -> list[str]:
    """`PARAGRAPHS` paragraphs of about `WORDS_PER_PARAGRAPH` words, the same on every run."""
    rng = random.Random(lesson_number)
    paragraphs = []
    for _ in range(PARAGRAPHS):
        sentences: list[str] = []
        while sum(len(s.split()) for s in sentences) < WORDS_PER_PARAGRAPH:
            sentences.append(_sentence(rng))
        paragraphs.append(" ".join(sentences))
    return paragraphs


def lesson_title(lesson_number: int) -> str:
    return f"Lesson {lesson_number}: {VOCABULARY[lesson_number * 7 % len(VOCABULARY)]} in practice"


def lesson_slug(lesson_number: int) -> str:
    return f"lesson-{lesson_number:02d}"


def lesson_intro(lesson_number: int) -> str:
    return f"What lesson {lesson_number} of the benchmark course covers, in one sentence."


def course_description() -> str:
    return " ".join(paragraph_texts(0)[:1])
