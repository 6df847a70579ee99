"""The demo's short courses (city networks, data protection, integrity), read from JSON.

Each `<name>.json` holds a course in the flagship's format (see ../content/FORMAT.md) in one
file: the course fields, `modules` with their lessons, and `quiz`, a final quiz placed under the
course and required for completion. Loading is idempotent: pages that exist are left alone.
"""

from __future__ import annotations

import json
import random
from decimal import Decimal
from pathlib import Path

from django.utils.text import slugify

from cms.demo import toolkit
from cms.demo.quizzes import ensure_quiz, simulated_form
from cms.demo.scorm import ensure_scorm_lesson
from cms.demo.site import _publish, ensure_module
from courses.models import (
    CompletionRule,
    CourseCataloguePage,
    CoursePage,
    QuizPage,
    ReviewPolicy,
    Topic,
)
from learners.attempts.services import AttemptRefused, attempt_start, attempt_submit

COURSES_DIR = Path(__file__).parent
NETWORKS = "networks"
DATA_PROTECTION = "data_protection"
INTEGRITY = "integrity"

# Toolkit documents that the short courses' lessons teach with, by lesson slug.
TOOLKIT_LINKS = {
    NETWORKS: {
        "choosing-networks": ["partners"],
        "bringing-it-home": ["mission-report"],
        "giving-back": ["mission-brief", "communication"],
    },
}


def read_course(name: str) -> dict:
    return json.loads((COURSES_DIR / f"{name}.json").read_text(encoding="utf-8"))


def course_names() -> list[str]:
    return sorted(path.stem for path in COURSES_DIR.glob("*.json"))


def ensure_short_course(catalogue: CourseCataloguePage, name: str) -> CoursePage:
    data = read_course(name)
    course = CoursePage.objects.filter(slug=data["slug"]).first()
    if course is None:
        course = CoursePage(
            title=data["title"],
            slug=data["slug"],
            summary=data["summary"],
            description=data["description"],
            learning_outcomes=[{"type": "outcome", "value": o} for o in data["learning_outcomes"]],
            audience=data["audience"],
            prerequisites=data["prerequisites"],
            estimated_hours=Decimal(str(data["estimated_hours"])),
            level=data["level"],
            language=data["language"],
            certificate_validity_months=data["certificate_validity_months"],
            first_lesson_preview=True,
            completion_rule=CompletionRule.LESSONS_AND_QUIZZES,
        )
        catalogue.add_child(instance=course)
        for topic_name in data["topics"]:
            topic, _ = Topic.objects.get_or_create(
                slug=slugify(topic_name), defaults={"name": topic_name}
            )
            course.topics.add(topic)
        _publish(course)
    for module in data["modules"]:
        ensure_module(course, module)
    quiz = data["quiz"]
    ensure_quiz(
        course,
        quiz,
        attempts_allowed=quiz["attempts_allowed"],
        time_limit_minutes=quiz["time_limit_minutes"],
        shuffle_choices=True,
        review_policy=ReviewPolicy.SCORE_AND_CORRECTNESS,
        required_for_completion=True,
    )
    if name == NETWORKS:
        ensure_scorm_lesson(course)
    links = TOOLKIT_LINKS.get(name)
    if links:
        toolkit.link_lessons(course, toolkit.ensure_documents(), links)
    return course


def pass_final_quiz(
    user, course: CoursePage, *, rng: random.Random, ability: float | None = None, now=None
) -> bool:
    """Let a learner who finished the lessons take the course's final quiz until they pass
    (or run out of attempts); answering completes the course when they pass. True if passed.

    `now` places the attempts in time, so backdated enrolments keep coherent dates.
    """
    quiz = QuizPage.objects.child_of(course).live().filter(required_for_completion=True).first()
    if quiz is None:
        return False
    ability = rng.uniform(0.6, 0.95) if ability is None else ability
    for _try in range(quiz.attempts_allowed or 3):
        try:
            attempt = attempt_start(user=user, quiz=quiz, now=now)
        except AttemptRefused:
            return False
        attempt = attempt_submit(
            user=user,
            attempt=attempt,
            data=simulated_form(attempt.snapshot, rng, ability),
            now=now,
        )
        if attempt.passed:
            return True
        ability = min(0.98, ability + 0.2)  # they revise before trying again
    return False
