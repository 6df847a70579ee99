"""SCORM lessons and their packages, for the player and the runtime endpoints in `learners`."""

from __future__ import annotations

from wagtail.models import Page

from courses.models import ScormLessonPage, ScormPackage


def is_scorm_lesson(page: Page) -> bool:
    return isinstance(page, ScormLessonPage)


def is_scorm_lesson_id(lesson_id: int) -> bool:
    return ScormLessonPage.objects.filter(pk=lesson_id).exists()


def get_scorm_lesson(lesson_id: int, *, live_only: bool = True) -> ScormLessonPage | None:
    """The lesson with its package, in one query (drafts too when `live_only` is False)."""
    lessons = ScormLessonPage.objects.select_related("package").defer_streamfields()
    if live_only:
        lessons = lessons.live()
    return lessons.filter(pk=lesson_id).first()


def package_of(lesson: ScormLessonPage) -> ScormPackage | None:
    return lesson.package
