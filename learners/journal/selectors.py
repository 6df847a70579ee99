"""Reads of the reflection journal."""

from __future__ import annotations

from collections.abc import Iterable

from learners.accounts.models import User
from learners.journal.models import ReflectionNote


def notes_for(user: User) -> list[ReflectionNote]:
    """Every note of a learner, grouped by course and lesson (one query)."""
    return list(
        ReflectionNote.objects.filter(user=user)
        .select_related("lesson")
        .order_by("course_title", "lesson_title", "created_at")
    )


def notes_by_block(user: User, block_ids: Iterable[str]) -> dict[str, ReflectionNote]:
    if not user.is_authenticated:
        return {}
    return {
        note.block_id: note
        for note in ReflectionNote.objects.filter(user=user, block_id__in=list(block_ids))
    }


def reflections_text_by_lesson(user: User, lesson_ids: Iterable[int]) -> dict[int, str]:
    """{lesson id: the learner's notes in that lesson, prompt and answer, as plain text}."""
    result: dict[int, list[str]] = {}
    for note in ReflectionNote.objects.filter(user=user, lesson_id__in=list(lesson_ids)).order_by(
        "created_at"
    ):
        result.setdefault(note.lesson_id, []).append(f"{note.prompt}\n{note.text}")
    return {lesson_id: "\n\n".join(parts) for lesson_id, parts in result.items()}
