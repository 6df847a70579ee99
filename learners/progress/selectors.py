"""Reads of a learner's own progress, each at a fixed number of queries."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property

from django.db.models.functions import Coalesce
from django.http import HttpRequest

from courses.selectors.outline import CourseOutline, OutlineItem, course_outlines
from courses.selectors.translations import same_page_q, translated_id
from learners.accounts.models import User
from learners.progress.models import Enrolment, LessonProgress
from learners.progress.rules import continue_lesson_id, progress_percent


def enrolment_current(user: User, course_id: int) -> Enrolment | None:
    if not user.is_authenticated:
        return None
    # A course's records belong to its canonical (default-language) page: the Spanish course
    # page finds the enrolment made on the English one (one query either way).
    return (
        Enrolment.objects.filter(user=user, archived_at__isnull=True)
        .filter(same_page_q("course", course_id))
        .order_by("enrolled_at", "pk")
        .first()
    )


class LearnerCourseState:
    """A learner's current enrolment in one course and, on first use, their lesson records.

    The gate in front of a lesson, the lesson's progress bars and the quiz page all need the
    same two rows of facts; `learner_course_state_for_request` reads them once per request.
    """

    def __init__(self, course_id: int, enrolment: Enrolment | None):
        self.course_id = course_id
        self.enrolment = enrolment

    @cached_property
    def _lessons(self) -> tuple[set[int], set[int]]:
        completed: set[int] = set()
        viewed: set[int] = set()
        if self.enrolment is not None:
            rows = LessonProgress.objects.filter(enrolment=self.enrolment, lesson__isnull=False)
            if self.enrolment.course_id != self.course_id:
                # Read in another language: the records name the canonical lessons; report
                # them as this course's translations of those lessons.
                rows = rows.annotate(
                    local_id=translated_id("lesson__translation_key", like_page_id=self.course_id)
                ).values_list("local_id", "completed_at", "first_viewed_at")
            else:
                rows = rows.values_list("lesson_id", "completed_at", "first_viewed_at")
            for lesson_id, completed_at, first_viewed_at in rows:
                if completed_at is not None:
                    completed.add(lesson_id)
                if first_viewed_at is not None:
                    viewed.add(lesson_id)
        return completed, viewed

    @property
    def completed_ids(self) -> set[int]:
        return self._lessons[0]

    @property
    def viewed_ids(self) -> set[int]:
        return self._lessons[1]


def learner_course_state(user: User, course_id: int) -> LearnerCourseState:
    """One query for the enrolment, one more when the lesson records are first asked for."""
    return LearnerCourseState(course_id, enrolment_current(user, course_id))


_REQUEST_STATES = "_capacitas_learner_states"


def learner_course_state_for_request(request: HttpRequest, course_id: int) -> LearnerCourseState:
    """The signed-in learner's state in a course, looked up once per request."""
    states = getattr(request, _REQUEST_STATES, None)
    if states is None:
        states = {}
        setattr(request, _REQUEST_STATES, states)
    if course_id not in states:
        states[course_id] = learner_course_state(request.user, course_id)
    return states[course_id]


@dataclass
class CourseProgress:
    enrolment: Enrolment | None
    completed_ids: set[int]
    percent: int
    module_percents: dict[int, int]
    continue_item: OutlineItem | None
    lessons_done: int = 0
    lessons_total: int = 0

    @property
    def is_enrolled(self) -> bool:
        return self.enrolment is not None

    @property
    def is_completed(self) -> bool:
        return bool(self.enrolment and self.enrolment.completed_at)

    @property
    def has_started(self) -> bool:
        return bool(self.enrolment and self.enrolment.last_lesson_id)


def course_progress(
    user: User, outline: CourseOutline, *, state: LearnerCourseState | None = None
) -> CourseProgress:
    """Where a learner stands in a course, measured on the lessons that are live now.

    `state` is the learner's state already read for this request (it is read here otherwise).
    """
    if state is None or state.course_id != outline.course_id:
        state = learner_course_state(user, outline.course_id)
    enrolment = state.enrolment
    done = state.completed_ids
    lessons = outline.lessons
    live_done = [lesson.id for lesson in lessons if lesson.id in done]
    module_percents = {
        module.id: progress_percent(
            sum(1 for lesson_id in module.lesson_ids if lesson_id in done), len(module.lesson_ids)
        )
        for module in outline.modules
    }
    continue_id = continue_lesson_id(
        [lesson.id for lesson in lessons], done, enrolment.last_lesson_id if enrolment else None
    )
    return CourseProgress(
        enrolment=enrolment,
        completed_ids=done,
        percent=progress_percent(len(live_done), len(lessons)),
        module_percents=module_percents,
        continue_item=next((lesson for lesson in lessons if lesson.id == continue_id), None),
        lessons_done=len(live_done),
        lessons_total=len(lessons),
    )


@dataclass
class DashboardEntry:
    enrolment: Enrolment
    course_url: str | None
    percent: int
    lessons_done: int
    lessons_total: int
    continue_url: str | None
    continue_title: str = ""
    extras: dict = field(default_factory=dict)  # filled by other parts (quizzes, certificates)
    outline: CourseOutline | None = None  # the course's cached outline, for those other parts

    @property
    def last_activity(self) -> datetime:
        return self.enrolment.last_activity_at or self.enrolment.enrolled_at


@dataclass
class Dashboard:
    in_progress: list[DashboardEntry]
    completed: list[DashboardEntry]

    @property
    def is_empty(self) -> bool:
        return not self.in_progress and not self.completed


# Rooms above progress add what they know about a learner's courses (quiz scores, HR due
# dates) to the entries' `extras`, registered from `LearnersConfig.ready()`; each is called
# once per page with the user and every entry, and must cost a fixed number of queries.
DASHBOARD_EXTRAS: list[Callable[[User, list[DashboardEntry]], None]] = []


def dashboard_extras_register(attach: Callable[[User, list[DashboardEntry]], None]) -> None:
    """Let a higher room decorate My learning's entries."""
    if attach not in DASHBOARD_EXTRAS:
        DASHBOARD_EXTRAS.append(attach)


def learner_dashboard(user: User) -> Dashboard:
    # Most recent activity first; a course enrolled in but not yet opened counts from its
    # enrolment date (the same order on every database, whatever it does with NULLs).
    enrolments = list(
        Enrolment.objects.filter(user=user, archived_at__isnull=True).order_by(
            Coalesce("last_activity_at", "enrolled_at").desc(), "-pk"
        )
    )
    course_ids = [e.course_id for e in enrolments if e.course_id]
    # Cached outlines: nothing to read for courses seen lately, four queries for the others.
    outlines = course_outlines(course_ids)
    lessons_by_course = {course_id: o.lesson_ids for course_id, o in outlines.items()}
    done_by_enrolment: dict[int, set[int]] = {e.pk: set() for e in enrolments}
    for enrolment_id, lesson_id in LessonProgress.objects.filter(
        enrolment__in=enrolments, completed_at__isnull=False, lesson__isnull=False
    ).values_list("enrolment_id", "lesson_id"):
        done_by_enrolment[enrolment_id].add(lesson_id)
    continue_ids = {}
    for enrolment in enrolments:
        lesson_ids = lessons_by_course.get(enrolment.course_id, [])
        continue_ids[enrolment.pk] = continue_lesson_id(
            lesson_ids, done_by_enrolment[enrolment.pk], enrolment.last_lesson_id
        )
    links = {
        lesson.id: (lesson.url, lesson.title)
        for outline in outlines.values()
        for lesson in outline.lessons
    }
    in_progress, completed = [], []
    for enrolment in enrolments:
        lesson_ids = lessons_by_course.get(enrolment.course_id, [])
        done = [i for i in lesson_ids if i in done_by_enrolment[enrolment.pk]]
        outline = outlines.get(enrolment.course_id)
        course = outline.course if outline else None
        continue_id = continue_ids[enrolment.pk]
        entry = DashboardEntry(
            enrolment=enrolment,
            course_url=course.url if course and course.live else None,
            percent=progress_percent(len(done), len(lesson_ids)),
            lessons_done=len(done),
            lessons_total=len(lesson_ids),
            continue_url=links[continue_id][0] if continue_id in links else None,
            continue_title=links[continue_id][1] if continue_id in links else "",
            outline=outline,
        )
        (completed if enrolment.completed_at else in_progress).append(entry)
    for attach in DASHBOARD_EXTRAS:
        attach(user, in_progress + completed)
    return Dashboard(in_progress=in_progress, completed=completed)


def learner_transcript(user: User) -> list[Enrolment]:
    """Every completed enrolment cycle, most recent first."""
    return list(
        Enrolment.objects.filter(user=user, completed_at__isnull=False).order_by("-completed_at")
    )
