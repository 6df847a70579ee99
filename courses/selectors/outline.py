"""A course's structure: outline, lesson navigation, the course a page belongs to.

Every function here costs a fixed number of queries, whatever the size of the course.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import reduce
from operator import or_

from django.db.models import Q, QuerySet
from wagtail.models import Page

from courses.models import (
    CoursePage,
    LessonPage,
    ModulePage,
    QuizPage,
)


@dataclass
class OutlineItem:
    kind: str  # "lesson" or "quiz"
    id: int
    title: str
    url: str
    intro: str = ""
    estimated_minutes: int = 0
    position: int = 0  # 1-based among the course's lessons
    attempts_allowed: int = 0  # quizzes only; 0 = unlimited
    pass_mark: int = 0  # quizzes only
    required: bool = False  # quizzes only: required for course completion


@dataclass
class OutlineModule:
    id: int
    title: str
    summary: str
    items: list[OutlineItem] = field(default_factory=list)

    @property
    def lessons(self) -> list[OutlineItem]:
        return [item for item in self.items if item.kind == "lesson"]

    @property
    def lesson_ids(self) -> list[int]:
        return [item.id for item in self.items if item.kind == "lesson"]

    @property
    def quizzes(self) -> list[OutlineItem]:
        return [item for item in self.items if item.kind == "quiz"]


@dataclass
class CourseOutline:
    course_id: int
    modules: list[OutlineModule]
    course_items: list[OutlineItem] = field(default_factory=list)  # quizzes at course level

    @property
    def lessons(self) -> list[OutlineItem]:
        return [lesson for module in self.modules for lesson in module.lessons]

    @property
    def lesson_ids(self) -> list[int]:
        return [lesson.id for lesson in self.lessons]

    @property
    def lesson_count(self) -> int:
        return len(self.lessons)

    @property
    def total_minutes(self) -> int:
        return sum(lesson.estimated_minutes for lesson in self.lessons)

    @property
    def quizzes(self) -> list[OutlineItem]:
        return [q for module in self.modules for q in module.quizzes] + self.course_items

    @property
    def required_quizzes(self) -> list[OutlineItem]:
        return [quiz for quiz in self.quizzes if quiz.required]

    @property
    def first_lesson(self) -> OutlineItem | None:
        lessons = self.lessons
        return lessons[0] if lessons else None


def live_quizzes_under(pages: Iterable[Page]) -> QuerySet[QuizPage]:
    prefixes = [Q(path__startswith=page.path) for page in pages]
    if not prefixes:
        return QuizPage.objects.none()
    return (
        QuizPage.objects.live().filter(reduce(or_, prefixes)).defer_streamfields().order_by("path")
    )


def _live_lessons_under(pages: Iterable[Page]) -> QuerySet[LessonPage]:
    prefixes = [Q(path__startswith=page.path) for page in pages]
    if not prefixes:
        return LessonPage.objects.none()
    return (
        LessonPage.objects.live()
        .filter(reduce(or_, prefixes))
        .defer_streamfields()
        .order_by("path")
    )


def course_outline(course: Page) -> CourseOutline:
    """All live modules, lessons and quizzes of a course, in tree order (three queries)."""
    modules = {
        module.path: OutlineModule(id=module.pk, title=module.title, summary=module.summary)
        for module in ModulePage.objects.live().child_of(course).order_by("path")
    }
    position = 0
    for lesson in _live_lessons_under([course]):
        module = modules.get(lesson.path[: -Page.steplen])
        if module is None:  # lesson under an unpublished module is not live for learners
            continue
        position += 1
        module.items.append(
            OutlineItem(
                kind="lesson",
                id=lesson.pk,
                title=lesson.title,
                url=lesson.url,
                intro=lesson.intro,
                estimated_minutes=lesson.estimated_minutes,
                position=position,
            )
        )
    outline = CourseOutline(course_id=course.pk, modules=list(modules.values()))
    for quiz in live_quizzes_under([course]):
        item = OutlineItem(
            kind="quiz",
            id=quiz.pk,
            title=quiz.title,
            url=quiz.url,
            intro=quiz.intro,
            estimated_minutes=quiz.time_limit_minutes or 0,
            attempts_allowed=quiz.attempts_allowed,
            pass_mark=quiz.pass_mark,
            required=quiz.required_for_completion,
        )
        parent_path = quiz.path[: -Page.steplen]
        if parent_path == course.path:
            outline.course_items.append(item)
        elif parent_path in modules:
            # Lessons come first in tree order, so the module quiz lands after them.
            modules[parent_path].items.append(item)
    return outline


@dataclass
class LessonNavigation:
    course: CoursePage
    module: OutlineModule | None
    outline: CourseOutline
    current: OutlineItem | None
    previous: OutlineItem | None
    next: OutlineItem | None

    @property
    def position(self) -> int:
        return self.current.position if self.current else 0

    @property
    def total(self) -> int:
        return self.outline.lesson_count

    @property
    def continue_to(self) -> OutlineItem | None:
        """Where "Mark as complete and continue" leads: a module's quiz comes right after the
        module's last lesson, and the final assessment after the course's last lesson."""
        module = self.module
        if (
            self.current
            and module
            and module.quizzes
            and module.lesson_ids[-1:] == [self.current.id]
        ):
            return module.quizzes[0]
        if self.next is None and self.current and self.outline.course_items:
            return self.outline.course_items[0]
        return self.next


def course_for_page(page: Page) -> CoursePage | None:
    """The course a page belongs to (itself, if it is a course)."""
    if isinstance(page, CoursePage):
        return page
    return CoursePage.objects.ancestor_of(page).select_related("cover_image").first()


def lesson_navigation(lesson: Page) -> LessonNavigation | None:
    course = course_for_page(lesson)
    if course is None:
        return None
    outline = course_outline(course)
    lessons = outline.lessons
    index = next((i for i, item in enumerate(lessons) if item.id == lesson.pk), None)
    module = next((m for m in outline.modules if lesson.pk in m.lesson_ids), None)
    return LessonNavigation(
        course=course,
        module=module,
        outline=outline,
        current=lessons[index] if index is not None else None,
        previous=lessons[index - 1] if index else None,
        next=lessons[index + 1] if index is not None and index + 1 < len(lessons) else None,
    )


# --- What learners need to know about content ---------------------------------------------------
