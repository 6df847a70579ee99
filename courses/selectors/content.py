"""What learners need to know about content: lookups by id, lesson links, course rules.

Every function here costs a fixed number of queries, whatever the size of the course.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import reduce
from operator import or_

from django.db.models import Q
from wagtail.models import Page

from courses.models import (
    CompletionRule,
    CoursePage,
    EnrolmentPolicy,
    LessonPage,
    ModulePage,
)


def is_lesson(page: Page) -> bool:
    return isinstance(page, LessonPage)


def get_course(course_id: int) -> CoursePage | None:
    return CoursePage.objects.filter(pk=course_id).first()


def get_live_course(course_id: int) -> CoursePage | None:
    return CoursePage.objects.live().filter(pk=course_id).first()


def get_live_lesson(lesson_id: int) -> LessonPage | None:
    return LessonPage.objects.live().filter(pk=lesson_id).defer_streamfields().first()


def live_lesson_ids_by_course(course_ids: Iterable[int]) -> dict[int, list[int]]:
    """{course id: [live lesson ids in order]} for many courses in two queries."""
    courses = list(CoursePage.objects.filter(pk__in=list(course_ids)).only("id", "path"))
    result: dict[int, list[int]] = {course.pk: [] for course in courses}
    if not courses:
        return result
    live_modules = set(
        ModulePage.objects.live()
        .filter(reduce(or_, [Q(path__startswith=c.path) for c in courses]))
        .values_list("path", flat=True)
    )
    by_path = {course.path: course.pk for course in courses}
    for path, lesson_id in (
        LessonPage.objects.live()
        .filter(reduce(or_, [Q(path__startswith=c.path) for c in courses]))
        .order_by("path")
        .values_list("path", "id")
    ):
        module_path = path[: -Page.steplen]
        if module_path not in live_modules:
            continue
        course_id = by_path.get(module_path[: -Page.steplen])
        if course_id is not None:
            result[course_id].append(lesson_id)
    return result


def courses_by_id(course_ids: Iterable[int]) -> dict[int, CoursePage]:
    return {
        course.pk: course
        for course in CoursePage.objects.filter(pk__in=list(course_ids)).select_related(
            "cover_image"
        )
    }


def lesson_links(lesson_ids: Iterable[int]) -> dict[int, tuple[str, str]]:
    """{lesson id: (url, title)} in one query."""
    return {
        lesson.pk: (lesson.url, lesson.title)
        for lesson in LessonPage.objects.filter(pk__in=list(lesson_ids)).defer_streamfields()
    }


def self_enrolment_open(course: Page) -> bool:
    return getattr(course, "enrolment_policy", EnrolmentPolicy.OPEN) == EnrolmentPolicy.OPEN


def requires_quizzes(course: Page) -> bool:
    return getattr(course, "completion_rule", "") == CompletionRule.LESSONS_AND_QUIZZES


# --- Quizzes -----------------------------------------------------------------------------------


def lesson_reflection_prompt(lesson: LessonPage, block_id: str) -> str | None:
    """The text of the reflection prompt with this block id in a lesson's body, if any."""
    for block in lesson.body.raw_data:
        if block.get("type") == "reflection" and block.get("id") == block_id:
            return (block.get("value") or {}).get("prompt", "")
    return None


def lesson_reflection_prompts(lesson: LessonPage) -> list[tuple[str, str]]:
    """(block id, prompt) of every reflection block in a lesson's body, in order."""
    return [
        (block.get("id") or "", (block.get("value") or {}).get("prompt", ""))
        for block in lesson.body.raw_data
        if block.get("type") == "reflection" and block.get("id")
    ]
