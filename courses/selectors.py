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
    CertificateTemplate,
    CompletionRule,
    CourseCataloguePage,
    CoursePage,
    EnrolmentPolicy,
    LessonPage,
    Level,
    ModulePage,
    QuizPage,
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


def _live_quizzes_under(pages: Iterable[Page]) -> QuerySet[QuizPage]:
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
    for quiz in _live_quizzes_under([course]):
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


# --- Quizzes -----------------------------------------------------------------------------------
def is_quiz(page: Page) -> bool:
    return isinstance(page, QuizPage)


def get_live_quiz(quiz_id: int) -> QuizPage | None:
    """A live quiz with its questions (one query)."""
    return QuizPage.objects.live().filter(pk=quiz_id).first()


def get_quiz(quiz_id: int) -> QuizPage | None:
    return QuizPage.objects.filter(pk=quiz_id).first()


def is_final_assessment(quiz: Page) -> bool:
    return isinstance(quiz, QuizPage) and isinstance(quiz.get_parent().specific, CoursePage)


def _list_items(raw) -> list:
    # ListBlock data is stored either as plain values or as [{"type": "item", "value": ...}].
    return [
        item["value"] if isinstance(item, dict) and item.get("type") == "item" else item
        for item in raw or []
    ]


def quiz_questions_plain(quiz: QuizPage) -> list[dict]:
    """The quiz's questions as plain dicts for `courses.scoring`, keyed by stable block ids."""
    questions = []
    for block in quiz.questions.raw_data:
        value = dict(block["value"])
        item = {
            "id": block.get("id") or "",
            "type": block["type"],
            "text": value.get("text", ""),
            "points": int(value.get("points") or 1),
            "explanation": value.get("explanation", "") or "",
        }
        if block["type"] in ("single_choice", "multiple_choice"):
            item["choices"] = [dict(c) for c in _list_items(value.get("choices"))]
            item["scoring"] = value.get("scoring") or "all_or_nothing"
        elif block["type"] == "true_false":
            item["correct"] = str(value.get("correct", "true")).lower()
            item["feedback_true"] = value.get("feedback_true", "") or ""
            item["feedback_false"] = value.get("feedback_false", "") or ""
        elif block["type"] == "short_text":
            item["accepted_answers"] = [str(a) for a in _list_items(value.get("accepted_answers"))]
        elif block["type"] == "matching":
            item["pairs"] = [dict(p) for p in _list_items(value.get("pairs"))]
        questions.append(item)
    return questions


@dataclass(frozen=True)
class QuizSummary:
    id: int
    course_id: int
    title: str
    url: str
    attempts_allowed: int
    pass_mark: int
    required: bool
    is_final: bool


def quizzes_by_course(course_ids: Iterable[int]) -> dict[int, list[QuizSummary]]:
    """{course id: [live quizzes in tree order]} for many courses in two queries."""
    courses = list(CoursePage.objects.filter(pk__in=list(course_ids)).only("id", "path"))
    result: dict[int, list[QuizSummary]] = {course.pk: [] for course in courses}
    if not courses:
        return result
    by_path = {course.path: course.pk for course in courses}
    for quiz in _live_quizzes_under(courses):
        course_id = next((cid for path, cid in by_path.items() if quiz.path.startswith(path)), None)
        if course_id is None:
            continue
        result[course_id].append(
            QuizSummary(
                id=quiz.pk,
                course_id=course_id,
                title=quiz.title,
                url=quiz.url,
                attempts_allowed=quiz.attempts_allowed,
                pass_mark=quiz.pass_mark,
                required=quiz.required_for_completion,
                is_final=quiz.path[: -Page.steplen] in by_path,
            )
        )
    return result


def required_quiz_ids(course: Page) -> list[int]:
    """Live quizzes of the course that must be passed to complete it."""
    return list(
        QuizPage.objects.live()
        .descendant_of(course)
        .filter(required_for_completion=True)
        .values_list("id", flat=True)
    )


def final_assessment_id(course_id: int) -> int | None:
    course = CoursePage.objects.filter(pk=course_id).only("id", "path", "depth").first()
    if course is None:
        return None
    return QuizPage.objects.child_of(course).order_by("path").values_list("id", flat=True).first()


def quizzes_for_reports() -> QuerySet[QuizPage]:
    return QuizPage.objects.all().defer_streamfields().order_by("path")


# --- Certificates -------------------------------------------------------------------------------
DEFAULT_TEMPLATE_NAME = "Default certificate"


@dataclass
class CertificateDesign:
    """What a certificate PDF needs from its template; images as bytes (None when absent)."""

    heading: str
    statement: str
    issuer_name: str
    signatory_name: str
    signatory_title: str
    primary_colour: str
    accent_colour: str
    logo: bytes | None = None
    signature: bytes | None = None
    background: bytes | None = None


@dataclass(frozen=True)
class CertificateTerms:
    """What a course says about the certificates it awards."""

    course_id: int
    title: str
    estimated_hours: object  # Decimal
    validity_months: int | None
    template_id: int | None


def certificate_template_default() -> CertificateTemplate:
    """The default template; an unsaved stand-in when an administrator deleted it."""
    template = CertificateTemplate.objects.filter(is_default=True).first()
    return template or CertificateTemplate(
        name=DEFAULT_TEMPLATE_NAME,
        signatory_name="Capacitas Training Office",
        signatory_title="Programme director",
    )


def certificate_terms(course_id: int) -> CertificateTerms | None:
    course = (
        CoursePage.objects.filter(pk=course_id)
        .only(
            "id", "title", "estimated_hours", "certificate_validity_months", "certificate_template"
        )
        .first()
    )
    if course is None:
        return None
    return CertificateTerms(
        course_id=course.pk,
        title=course.title,
        estimated_hours=course.estimated_hours,
        validity_months=course.certificate_validity_months,
        template_id=course.certificate_template_id,
    )


def certificate_template_for(template_id: int | None) -> CertificateTemplate:
    template = None
    if template_id:
        template = (
            CertificateTemplate.objects.filter(pk=template_id)
            .select_related("logo", "signature_image", "background_image")
            .first()
        )
    return template or certificate_template_default()


def _image_bytes(image) -> bytes | None:
    if image is None:
        return None
    try:
        with image.file.open("rb") as handle:
            return handle.read()
    except (OSError, ValueError):
        return None  # a missing file must not stop a certificate from being issued


def certificate_design(template_id: int | None) -> CertificateDesign:
    template = certificate_template_for(template_id)
    return CertificateDesign(
        heading=template.heading,
        statement=template.statement,
        issuer_name=template.issuer_name,
        signatory_name=template.signatory_name,
        signatory_title=template.signatory_title,
        primary_colour=template.primary_colour,
        accent_colour=template.accent_colour,
        logo=_image_bytes(template.logo) if template.logo_id else None,
        signature=_image_bytes(template.signature_image) if template.signature_image_id else None,
        background=_image_bytes(template.background_image)
        if template.background_image_id
        else None,
    )


def course_urls(course_ids: Iterable[int]) -> dict[int, str]:
    """{course id: url} of live courses, in one query."""
    return {
        course.pk: course.url
        for course in CoursePage.objects.live().filter(pk__in=list(course_ids)).defer_streamfields()
    }


def courses_for_assignment() -> list[tuple[int, str]]:
    """(id, title) of every live course, for HR to assign and filter by (one query)."""
    return list(CoursePage.objects.live().order_by("title").values_list("id", "title"))
