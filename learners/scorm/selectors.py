"""Reads for the SCORM player: where a learner resumes each SCO, and what they achieved."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Exists, OuterRef
from wagtail.models import Page

from learners.accounts.models import User
from learners.progress.models import Enrolment, LessonProgress
from learners.scorm.models import ScormAttempt
from learners.scorm.rules import AttemptState, initial_cmi, next_attempt


@dataclass
class ScoStatus:
    identifier: str
    complete: bool = False
    score_percent: Decimal | None = None
    success: bool | None = None
    attempts: int = 0


@dataclass
class LessonScormState:
    """Per SCO of one lesson: the latest attempt, and whether any attempt completed it."""

    latest: dict[str, ScormAttempt] = field(default_factory=dict)
    statuses: dict[str, ScoStatus] = field(default_factory=dict)

    @property
    def score_percent(self) -> Decimal | None:
        """The lesson's score: the mean of its SCOs' latest scores, when any reported one."""
        scores = [s.score_percent for s in self.statuses.values() if s.score_percent is not None]
        if not scores:
            return None
        return (sum(scores) / len(scores)).quantize(Decimal("0.01"))


def lesson_scorm_state(*, enrolment: Enrolment, lesson: Page) -> LessonScormState:
    """One query: every attempt of the lesson in this enrolment."""
    state = LessonScormState()
    for row in ScormAttempt.objects.filter(enrolment=enrolment, lesson=lesson).order_by(
        "sco_identifier", "-number"
    ):
        status = state.statuses.setdefault(row.sco_identifier, ScoStatus(row.sco_identifier))
        status.attempts += 1
        status.complete = status.complete or row.completed_at is not None
        if row.sco_identifier not in state.latest:
            state.latest[row.sco_identifier] = row
            status.score_percent = row.score_percent
            status.success = {"passed": True, "failed": False}.get(
                row.lesson_status or row.success_status
            )
    return state


def sco_launch(
    *, user: User, version: str, sco: dict, latest: ScormAttempt | None
) -> tuple[AttemptState, dict]:
    """The attempt a new session of `sco` belongs to and the values the runtime starts with."""
    number, resume = next_attempt(
        latest_number=latest.number if latest else None,
        latest_complete=bool(latest and latest.completed_at),
        latest_exit=latest.exit if latest else "",
    )
    if resume and latest is not None:
        state = AttemptState(
            number=number,
            sequence=latest.sequence,
            resume=True,
            lesson_status=latest.lesson_status,
            completion_status=latest.completion_status,
            success_status=latest.success_status,
            score_raw=latest.score_raw,
            score_min=latest.score_min,
            score_max=latest.score_max,
            location=latest.location,
            suspend_data=latest.suspend_data,
            total_seconds=latest.total_seconds,
            was_suspended=latest.exit == "suspend",
        )
    else:
        state = AttemptState(number=number, sequence=0, resume=False)
    cmi = initial_cmi(
        version=version,
        state=state,
        learner_id=str(user.pk),
        learner_name=(user.full_name or user.email)[:255],
        mastery_score=sco.get("mastery_score"),
        launch_data=sco.get("launch_data") or "",
    )
    return state, cmi


def attempts_for_export(user: User) -> list[ScormAttempt]:
    return list(
        ScormAttempt.objects.filter(enrolment__user=user)
        .select_related("enrolment")
        .order_by("enrolment__course_title", "lesson_title", "sco_identifier", "number")
    )


def scorm_export(user: User) -> list[tuple[str, bytes, str]]:
    """The learner's SCORM data for their export: (file name, bytes, description)."""
    import json

    rows = [
        {
            "course": row.enrolment.course_title,
            "enrolment_cycle": row.enrolment.cycle,
            "lesson": row.lesson_title,
            "sco": row.sco_identifier,
            "sco_title": row.sco_title,
            "scorm_version": row.version,
            "attempt": row.number,
            "lesson_status": row.lesson_status,
            "completion_status": row.completion_status,
            "success_status": row.success_status,
            "score_raw": None if row.score_raw is None else str(row.score_raw),
            "score_percent": None if row.score_percent is None else str(row.score_percent),
            "location": row.location,
            "suspend_data": row.suspend_data,
            "total_seconds": row.total_seconds,
            "interactions": row.interaction_count,
            "started_at": row.started_at.isoformat(),
            "updated_at": row.updated_at.isoformat(),
            "completed_at": row.completed_at.isoformat() if row.completed_at else None,
            "cmi": row.cmi,
        }
        for row in attempts_for_export(user)
    ]
    if not rows:
        return []
    return [
        (
            "scorm_attempts.json",
            json.dumps(rows, ensure_ascii=False, indent=2).encode(),
            "SCORM activities: each attempt at each part of a SCORM lesson, with the data "
            "the activity stored (status, score, time, bookmark, suspend data, interactions).",
        )
    ]


# --- What a learner achieved in SCORM lessons (My learning, HR) ---------------------------------
@dataclass
class ScormLessonResult:
    """One SCORM lesson in one enrolment cycle: the figures My learning and HR show.

    The score is the lesson's as the player shows it (the mean of its SCOs' latest scores);
    `passed` is True or False only when a SCO reported success or failure (the latest attempt
    of each SCO; one failure reads as not passed); completion is the lesson's progress row, the
    same one native lessons and the course's completion rule read.
    """

    enrolment_id: int
    lesson_id: int | None
    lesson_title: str
    course_title: str = ""
    completed: bool = False
    attempts: int = 0
    seconds: int = 0
    passed: bool | None = None
    scores: list[Decimal] = field(default_factory=list)

    @property
    def score_percent(self) -> Decimal | None:
        if not self.scores:
            return None
        return (sum(self.scores) / len(self.scores)).quantize(Decimal("0.01"))

    @property
    def started(self) -> bool:
        return self.attempts > 0

    @property
    def minutes(self) -> int:
        """Time spent, as the SCOs reported it, in whole minutes (rounded up from any second)."""
        return -(-self.seconds // 60)


def scorm_results(enrolment_ids: list[int]) -> dict[tuple[int, int | None, str], ScormLessonResult]:
    """Every SCORM lesson attempted in these enrolments, keyed by (enrolment, lesson, title).

    One query, whatever the number of lessons, SCOs and attempts; only status, score and time
    leave the database (never the CMI data, suspend data or interactions).
    """
    if not enrolment_ids:
        return {}
    completed = LessonProgress.objects.filter(
        enrolment_id=OuterRef("enrolment_id"),
        lesson_id=OuterRef("lesson_id"),
        completed_at__isnull=False,
    )
    rows = (
        ScormAttempt.objects.filter(enrolment_id__in=enrolment_ids)
        .annotate(lesson_done=Exists(completed))
        # Newest attempt first within each SCO (a renamed lesson keeps its id, so the title is
        # not part of the order; it only tells apart the lessons deleted since).
        .order_by("enrolment_id", "lesson_id", "sco_identifier", "-number")
        .values_list(
            "enrolment_id",
            "lesson_id",
            "lesson_title",
            "enrolment__course_title",
            "sco_identifier",
            "score_percent",
            "lesson_status",
            "success_status",
            "earlier_seconds",
            "session_seconds",
            "lesson_done",
        )
    )
    results: dict[tuple[int, int | None, str], ScormLessonResult] = {}
    latest_seen: set[tuple[int, int | None, str, str]] = set()
    for (
        enrolment_id,
        lesson_id,
        lesson_title,
        course_title,
        sco,
        score,
        lesson_status,
        success_status,
        earlier,
        session,
        done,
    ) in rows:
        key = (enrolment_id, lesson_id, lesson_title if lesson_id is None else "")
        result = results.get(key)
        if result is None:
            result = results[key] = ScormLessonResult(
                enrolment_id=enrolment_id,
                lesson_id=lesson_id,
                lesson_title=lesson_title,
                course_title=course_title,
                completed=bool(done),
            )
        result.attempts += 1
        result.seconds += earlier + session
        if (*key, sco) in latest_seen:
            continue
        latest_seen.add((*key, sco))  # rows come newest first: this is the SCO's latest attempt
        if score is not None:
            result.scores.append(score)
        success = {"passed": True, "failed": False}.get(lesson_status or success_status)
        if success is not None:
            result.passed = success if result.passed is None else (result.passed and success)
    return results


@dataclass
class DashboardScormLesson:
    title: str
    url: str
    result: ScormLessonResult | None


def attach_scorm_extras(user: User, entries) -> None:
    """My learning: each course's SCORM lessons, with status and score (1 query, and none for
    courses without SCORM lessons: the cached outline says which lessons play a package)."""
    # The entries carry their courses' cached outlines, which mark the SCORM lessons.
    lessons = {
        entry.enrolment.pk: [item for item in entry.outline.lessons if item.scorm]
        for entry in entries
        if entry.outline is not None
    }
    wanted = [enrolment_id for enrolment_id, items in lessons.items() if items]
    if not wanted:
        return
    results = scorm_results(wanted)
    for entry in entries:
        items = [
            DashboardScormLesson(
                title=item.title,
                url=item.url,
                result=results.get((entry.enrolment.pk, item.id, "")),
            )
            for item in lessons.get(entry.enrolment.pk, [])
        ]
        if items:
            entry.extras["scorm"] = items


def learner_scorm_results(person: User) -> list[ScormLessonResult]:
    """HR's view of one person: the SCORM lessons of their current enrolments (1 + 1 queries)."""
    enrolment_ids = list(
        Enrolment.objects.filter(user=person, archived_at__isnull=True).values_list("pk", flat=True)
    )
    return sorted(
        scorm_results(enrolment_ids).values(),
        key=lambda r: (r.course_title, r.lesson_title),
    )
