"""Reads over course content. `learners` reaches content only through this module.

Every function here costs a fixed number of queries, whatever the size of the course.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import reduce
from operator import or_

from django.conf import settings
from django.db.models import Q, QuerySet
from wagtail.models import Page

from courses.models import (
    CompletionRule,
    CourseCataloguePage,
    CoursePage,
    EnrolmentPolicy,
    LessonPage,
    Level,
    ModulePage,
    Topic,
)


# --- Catalogue ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class CatalogueFilters:
    topic: str = ""
    level: str = ""
    language: str = ""

    @classmethod
    def from_querydict(cls, data: Mapping[str, str]) -> CatalogueFilters:
        """Keep only values that name a real choice; anything else is ignored, not an error."""
        level = data.get("level", "")
        language = data.get("language", "")
        topic = data.get("topic", "")[:80]
        return cls(
            topic=topic,
            level=level if level in Level.values else "",
            language=language if language in dict(settings.LANGUAGES) else "",
        )

    @property
    def active(self) -> bool:
        return bool(self.topic or self.level or self.language)


def courses_published() -> QuerySet[CoursePage]:
    return (
        CoursePage.objects.live()
        .public()
        .select_related("cover_image")
        .prefetch_related("topics")
        .order_by("title")
    )


def catalogue_first() -> CourseCataloguePage | None:
    return CourseCataloguePage.objects.live().order_by("path").first()


def catalogue_courses(catalogue: Page, filters: CatalogueFilters) -> QuerySet[CoursePage]:
    courses = courses_published().child_of(catalogue)
    if filters.topic:
        courses = courses.filter(topics__slug=filters.topic)
    if filters.level:
        courses = courses.filter(level=filters.level)
    if filters.language:
        courses = courses.filter(language=filters.language)
    return courses.distinct()


@dataclass(frozen=True)
class CatalogueFacets:
    topics: list[Topic]
    levels: list[tuple[str, str]]
    languages: list[tuple[str, str]]


def catalogue_facets() -> CatalogueFacets:
    return CatalogueFacets(
        topics=list(Topic.objects.filter(coursepage__live=True).distinct().order_by("name")),
        levels=list(Level.choices),
        languages=[(code, str(name)) for code, name in settings.LANGUAGES],
    )


def search_terms(query: str) -> str:
    """Words only: quotes, brackets and operators would reach the database's full-text syntax
    (SQLite FTS5 fails on an unbalanced quote), so searches are for plain words."""
    return " ".join(re.findall(r"\w+", query))


def search_content(query: str):
    """Full-text search over published courses and lessons (Wagtail search backend)."""
    query = search_terms(query)
    if not query:
        return Page.objects.none()
    return (
        Page.objects.live()
        .public()
        .type(CoursePage, LessonPage)
        .specific()
        .search(query, operator="and")
    )


# --- Course structure --------------------------------------------------------------------------
@dataclass
class OutlineItem:
    kind: str  # "lesson" or "quiz"
    id: int
    title: str
    url: str
    intro: str = ""
    estimated_minutes: int = 0
    position: int = 0  # 1-based among the course's lessons


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
    def first_lesson(self) -> OutlineItem | None:
        lessons = self.lessons
        return lessons[0] if lessons else None


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
    """All live modules and lessons of a course, in tree order (two queries)."""
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
    return CourseOutline(course_id=course.pk, modules=list(modules.values()))


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
