"""Reads for the SCORM player: where a learner resumes each SCO, and what they achieved."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from wagtail.models import Page

from learners.accounts.models import User
from learners.progress.models import Enrolment
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
