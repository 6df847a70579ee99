"""A course's structure: outline, lesson navigation, the course a page belongs to.

Every function here costs a fixed number of queries, whatever the size of the course.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import reduce
from operator import or_

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from wagtail.models import Page

from courses import cache as outline_cache
from courses.models import (
    CoursePage,
    LessonPage,
    ModulePage,
    QuizPage,
    ScormLessonPage,
)
from courses.routing import routed_course_id


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
    scorm: bool = False  # lessons only: a SCORM package plays here (My learning lists its score)


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
class CourseSummary:
    """What pages built on a course show of it, without loading the course page."""

    id: int
    title: str
    url: str
    live: bool
    first_lesson_preview: bool = False
    enrolment_policy: str = ""
    completion_rule: str = ""

    @property
    def pk(self) -> int:
        return self.id


@dataclass
class CourseOutline:
    course_id: int
    modules: list[OutlineModule]
    course_items: list[OutlineItem] = field(default_factory=list)  # quizzes at course level
    course: CourseSummary | None = None

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


def _live_modules_of(courses: list[CoursePage]) -> QuerySet[ModulePage]:
    children = [Q(path__startswith=c.path, depth=c.depth + 1) for c in courses]
    return ModulePage.objects.live().filter(reduce(or_, children)).order_by("path")


def _summary(course: Page) -> CourseSummary:
    return CourseSummary(
        id=course.pk,
        title=course.title,
        url=course.url or "",
        live=course.live,
        first_lesson_preview=getattr(course, "first_lesson_preview", False),
        enrolment_policy=getattr(course, "enrolment_policy", ""),
        completion_rule=getattr(course, "completion_rule", ""),
    )


def course_outlines_build(courses: Iterable[Page]) -> dict[int, CourseOutline]:
    """The outlines of many courses, read from the database in three queries."""
    courses = list(courses)
    if not courses:
        return {}
    by_path = {course.path: course for course in courses}
    outlines = {
        course.pk: CourseOutline(course_id=course.pk, modules=[], course=_summary(course))
        for course in courses
    }
    modules: dict[str, OutlineModule] = {}
    for module in _live_modules_of(courses):
        course = by_path.get(module.path[: -Page.steplen])
        if course is None:
            continue
        item = OutlineModule(id=module.pk, title=module.title, summary=module.summary)
        modules[module.path] = item
        outlines[course.pk].modules.append(item)
    positions = dict.fromkeys(outlines, 0)
    # SCORM lessons are LessonPage rows too (multi-table inheritance); their content type says
    # which ones, with no extra query (ContentType's own cache answers get_for_model).
    scorm_type = ContentType.objects.get_for_model(ScormLessonPage).pk
    for lesson in _live_lessons_under(courses):
        module = modules.get(lesson.path[: -Page.steplen])
        if module is None:  # lesson under an unpublished module is not live for learners
            continue
        course_id = by_path[lesson.path[: -2 * Page.steplen]].pk
        positions[course_id] += 1
        module.items.append(
            OutlineItem(
                kind="lesson",
                id=lesson.pk,
                title=lesson.title,
                url=lesson.url,
                intro=lesson.intro,
                estimated_minutes=lesson.estimated_minutes,
                position=positions[course_id],
                scorm=lesson.content_type_id == scorm_type,
            )
        )
    for quiz in live_quizzes_under(courses):
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
        if parent_path in by_path:
            outlines[by_path[parent_path].pk].course_items.append(item)
        elif parent_path in modules:
            # Lessons come first in tree order, so the module quiz lands after them.
            modules[parent_path].items.append(item)
    return outlines


def course_outline_build(course: Page) -> CourseOutline:
    """All live modules, lessons and quizzes of a course, in tree order (three queries)."""
    return course_outlines_build([course])[course.pk]


def course_outline(course: Page) -> CourseOutline:
    """The course's outline from the cache, built (three queries) when it is not there."""
    cached = outline_cache.outlines_get([course.pk])
    if course.pk in cached:
        return cached[course.pk]
    outline = course_outline_build(course)
    outline_cache.outlines_set({course.pk: outline})
    return outline


def course_outlines(course_ids: Iterable[int]) -> dict[int, CourseOutline]:
    """{course id: outline} for many courses: cached ones free, the others in four queries."""
    course_ids = list(dict.fromkeys(course_ids))
    found = outline_cache.outlines_get(course_ids)
    missing = [course_id for course_id in course_ids if course_id not in found]
    if missing:
        built = course_outlines_build(CoursePage.objects.filter(pk__in=missing))
        outline_cache.outlines_set(built)
        found.update(built)
    return found


@dataclass
class LessonNavigation:
    course: CourseSummary
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


_REQUEST_OUTLINES = "_capacitas_outlines"


def outline_for_page(page: Page, request: HttpRequest | None = None) -> CourseOutline | None:
    """The outline of the course a page belongs to, looked up once per request.

    The gate before a lesson, the lesson's navigation and the learner's progress all need it;
    the request keeps it (and the router's ancestor chain names the course without a query).
    """
    memo = getattr(request, _REQUEST_OUTLINES, None) if request is not None else None
    if memo is not None and page.pk in memo:
        return memo[page.pk]
    outline = None
    course_id = routed_course_id(request, page) if request is not None else None
    if isinstance(page, CoursePage):
        outline = course_outline(page)
    elif course_id is not None:
        outline = course_outlines([course_id]).get(course_id)
    else:
        course = course_for_page(page)
        outline = course_outline(course) if course is not None else None
    if request is not None:
        if memo is None:
            memo = {}
            setattr(request, _REQUEST_OUTLINES, memo)
        memo[page.pk] = outline
    return outline


def lesson_navigation(lesson: Page, request: HttpRequest | None = None) -> LessonNavigation | None:
    outline = outline_for_page(lesson, request)
    if outline is None:
        return None
    lessons = outline.lessons
    index = next((i for i, item in enumerate(lessons) if item.id == lesson.pk), None)
    module = next((m for m in outline.modules if lesson.pk in m.lesson_ids), None)
    return LessonNavigation(
        course=outline.course,
        module=module,
        outline=outline,
        current=lessons[index] if index is not None else None,
        previous=lessons[index - 1] if index else None,
        next=lessons[index + 1] if index is not None and index + 1 < len(lessons) else None,
    )
