"""Writes of the reflection journal."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from courses.models import LessonPage
from learners.accounts.models import User
from learners.common.text import clean_text
from learners.journal.models import ReflectionNote

NOTE_MAX = 5_000


class NoteRefused(ValueError):
    pass


def note_save(
    *,
    user: User,
    lesson: LessonPage,
    block_id: str,
    prompt: str,
    course_id: int | None,
    course_title: str,
    text: str,
) -> ReflectionNote | None:
    """Keep (or replace) the learner's private answer to one reflection prompt; an empty
    answer deletes the note. Returns the note, or None when it was deleted."""
    text = clean_text(text or "")
    if len(text) > NOTE_MAX:
        raise NoteRefused(
            _("A note may be at most %(max)d characters; yours has %(n)d. Nothing was saved.")
            % {"max": NOTE_MAX, "n": len(text)}
        )
    with transaction.atomic():
        if not text:
            ReflectionNote.objects.filter(user=user, block_id=block_id).delete()
            return None
        note, _created = ReflectionNote.objects.update_or_create(
            user=user,
            block_id=block_id,
            defaults={
                "lesson": lesson,
                "lesson_title": lesson.title[:255],
                "course_id": course_id,
                "course_title": course_title[:255],
                "prompt": prompt,
                "text": text,
            },
        )
    return note
