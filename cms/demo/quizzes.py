"""The flagship course's module quizzes and final assessment, and some attempts (idempotent)."""

from __future__ import annotations

import json
import random

from courses.models import CompletionRule, CoursePage, ModulePage, QuizPage, ReviewPolicy

from .site import _publish, module_files, read_json


def question_block(question: dict) -> dict:
    """One question from the demo JSON as StreamField data."""
    kind = question["type"]
    value: dict = {
        "text": question["text"],
        "points": question.get("points", 1),
        "explanation": question.get("explanation", ""),
        "outcome": question.get("outcome", ""),
    }
    if kind in ("single_choice", "multiple_choice"):
        value["choices"] = [
            {
                "text": choice["text"],
                "correct": bool(choice.get("correct")),
                "feedback": choice.get("feedback", ""),
            }
            for choice in question["choices"]
        ]
        if kind == "multiple_choice":
            value["scoring"] = question.get("scoring", "all_or_nothing")
    elif kind == "true_false":
        value["correct"] = "true" if question["correct"] else "false"
    elif kind == "short_text":
        value["accepted_answers"] = list(question["accepted_answers"])
    elif kind == "matching":
        value["pairs"] = [{"prompt": p["prompt"], "match": p["match"]} for p in question["pairs"]]
    return {"type": kind, "value": value}


def ensure_quiz(parent, data: dict, **settings) -> QuizPage:
    quiz = QuizPage.objects.child_of(parent).filter(slug=data["slug"]).first()
    if quiz is not None:
        return quiz
    quiz = QuizPage(
        title=data["title"],
        slug=data["slug"],
        intro=data.get("intro", ""),
        pass_mark=data.get("pass_mark", 70),
        questions=[question_block(q) for q in data["questions"]],
        **settings,
    )
    parent.add_child(instance=quiz)
    quiz.full_clean()  # the demo content must pass the same validation as trainers' edits
    _publish(quiz)
    return quiz


def load_quizzes(course: CoursePage) -> dict:
    """Module quizzes (formative: unlimited attempts, full review) and the final assessment
    (required for completion); the course then asks for lessons and quizzes."""
    module_quizzes = []
    for path in module_files():
        data = json.loads(path.read_text(encoding="utf-8"))
        module = ModulePage.objects.child_of(course).filter(slug=data["slug"]).first()
        if module is None or "quiz" not in data:
            continue
        module_quizzes.append(
            ensure_quiz(
                module,
                data["quiz"],
                shuffle_choices=True,
                review_policy=ReviewPolicy.FULL_REVIEW,
            )
        )
    final_data = read_json("final_assessment.json")
    final = ensure_quiz(
        course,
        final_data,
        attempts_allowed=final_data.get("attempts_allowed", 3),
        time_limit_minutes=final_data.get("time_limit_minutes"),
        draw_count=final_data.get("draw"),
        shuffle_questions=True,
        shuffle_choices=True,
        review_policy=ReviewPolicy.SCORE_AND_CORRECTNESS,
        required_for_completion=True,
    )
    course = CoursePage.objects.get(pk=course.pk)
    if course.completion_rule != CompletionRule.LESSONS_AND_QUIZZES:
        course.completion_rule = CompletionRule.LESSONS_AND_QUIZZES
        _publish(course)
    return {"module_quizzes": module_quizzes, "final": final}


# --- Attempts by the fictional learners (so trainers' reports have data) -----------------------
def simulated_form(snapshot: list[dict], rng: random.Random, ability: float) -> dict:
    """Form data answering each question correctly with probability `ability`."""
    data: dict[str, list[str]] = {}
    for q in snapshot:
        right = rng.random() < ability
        name = f"q-{q['id']}"
        if q["type"] in ("single_choice", "true_false"):
            pool = [c["id"] for c in q["choices"] if c["correct"] == right] or [
                q["choices"][0]["id"]
            ]
            data[name] = [rng.choice(pool)]
        elif q["type"] == "multiple_choice":
            correct = [c["id"] for c in q["choices"] if c["correct"]]
            data[name] = correct if right else correct[:-1] or [q["choices"][0]["id"]]
        elif q["type"] == "short_text":
            data[name] = [q["accepted"][0] if right else "not sure"]
        elif q["type"] == "matching":
            options = [o["id"] for o in q["options"]]
            for pair in q["pairs"]:
                data[f"{name}-{pair['id']}"] = [pair["answer"] if right else rng.choice(options)]
    return data


def ensure_demo_attempts(course: CoursePage, learners: list) -> int:
    """Learners who finished module 1 take its quiz; those who finished every lesson take the
    final assessment (which completes the course when they pass). Runs once per learner."""
    from courses.selectors.outline import course_outline
    from learners.attempts.services import AttemptRefused, attempt_start, attempt_submit
    from learners.models import Enrolment, LessonProgress, QuizAttempt

    outline = course_outline(course)
    if not outline.modules:
        return 0
    quizzes = {q.pk: q for q in QuizPage.objects.live().descendant_of(course)}
    if QuizAttempt.objects.filter(quiz_id__in=list(quizzes)).exists():
        # Attempts are simulated on the first load only; later steps of the demo (HR
        # assignments) add progress that must not trigger new attempts on a second run.
        return 0
    first_quiz = next((quizzes[i.id] for i in outline.modules[0].items if i.kind == "quiz"), None)
    final = next((quizzes[i.id] for i in outline.course_items), None)
    module_one = set(outline.modules[0].lesson_ids)
    all_lessons = set(outline.lesson_ids)
    rng = random.Random(4242)  # fixed seed: the same learners succeed on every fresh load
    created = 0
    for user in learners:
        ability = rng.uniform(0.35, 0.95)
        enrolment = Enrolment.objects.filter(
            user=user, course=course, archived_at__isnull=True
        ).first()
        if enrolment is None or QuizAttempt.objects.filter(user=user).exists():
            continue
        done = set(
            LessonProgress.objects.filter(
                enrolment=enrolment, completed_at__isnull=False
            ).values_list("lesson_id", flat=True)
        )
        plan = []
        if first_quiz and module_one <= done:
            plan.append(first_quiz)
        if final and all_lessons <= done:
            plan.append(final)
        for quiz in plan:
            for _try in range(quiz.attempts_allowed or 2):
                try:
                    attempt = attempt_start(user=user, quiz=quiz)
                except AttemptRefused:
                    break
                attempt = attempt_submit(
                    user=user, attempt=attempt, data=simulated_form(attempt.snapshot, rng, ability)
                )
                created += 1
                if attempt.passed:
                    break
                ability = min(0.98, ability + 0.15)  # they revise before trying again
    return created
