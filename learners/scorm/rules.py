"""Pure rules over SCORM data: reading a committed CMI object, times, the values a SCO starts
with. No database, no Django models: property-tested in tests/learners/scorm/test_rules.py.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

COMPLETE_12 = {"completed", "passed"}
_TIME_12 = re.compile(r"^(\d{1,4}):([0-5]?\d):([0-5]?\d)(\.\d{1,2})?$")
_TIME_2004 = re.compile(
    r"^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$"
)
MAX_SECONDS = 10 * 365 * 24 * 3600  # any duration beyond ten years is nonsense from a SCO


def is_2004(version: str) -> bool:
    return version.startswith("2004")


def parse_duration(value: str, *, version: str) -> int:
    """Whole seconds of a SCORM time interval (1.2 `HHHH:MM:SS.SS`, 2004 ISO 8601); 0 if bad."""
    value = (value or "").strip()
    seconds = 0.0
    match = _TIME_12.match(value)
    if match and not is_2004(version):
        seconds = int(match[1]) * 3600 + int(match[2]) * 60 + int(match[3])
    else:
        match = _TIME_2004.match(value)
        if not match or value in ("P", "PT") or value.endswith("T"):
            return 0
        years, months, days, hours, minutes = (int(part or 0) for part in match.groups()[:5])
        seconds = (
            years * 365 * 86400
            + months * 30 * 86400
            + days * 86400
            + hours * 3600
            + minutes * 60
            + float(match[6] or 0)
        )
    return int(min(max(seconds, 0), MAX_SECONDS))


def format_duration(seconds: int, *, version: str) -> str:
    """A SCORM time interval for `seconds` (what cmi.core.total_time / cmi.total_time hold)."""
    seconds = max(int(seconds), 0)
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    if is_2004(version):
        return f"PT{hours}H{minutes}M{secs}S"
    return f"{min(hours, 9999):04d}:{minutes:02d}:{secs:02d}"


def _decimal(value, places: str = "0.01") -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None
    if not number.is_finite() or abs(number) >= Decimal("1e8"):
        return None
    return number.quantize(Decimal(places))


def _text(value, limit: int) -> str:
    return value[:limit] if isinstance(value, str) else ""


@dataclass(frozen=True)
class CmiSummary:
    lesson_status: str  # SCORM 1.2
    completion_status: str  # SCORM 2004
    success_status: str  # SCORM 2004
    score_raw: Decimal | None
    score_min: Decimal | None
    score_max: Decimal | None
    score_percent: Decimal | None
    location: str
    suspend_data: str
    exit: str
    session_seconds: int
    interaction_count: int

    @property
    def complete(self) -> bool:
        """Counts as a completed lesson: finished, and not failed."""
        if self.lesson_status:
            return self.lesson_status in COMPLETE_12
        return self.completion_status == "completed" and self.success_status != "failed"

    @property
    def success(self) -> bool | None:
        """True when passed, False when failed, None while the SCO has not said."""
        status = self.lesson_status or self.success_status
        if status == "passed":
            return True
        if status == "failed":
            return False
        return None


def unwrap(cmi: dict) -> dict:
    """The data model itself, whether the runtime sent {"cmi": {…}} or its contents."""
    inner = cmi.get("cmi") if isinstance(cmi, dict) else None
    return inner if isinstance(inner, dict) else (cmi if isinstance(cmi, dict) else {})


def _count(value) -> int:
    if isinstance(value, dict):
        value = value.get("childArray", value)
    if isinstance(value, (list, dict)):
        return len(
            [
                item
                for item in (value.values() if isinstance(value, dict) else value)
                if isinstance(item, dict)
            ]
        )
    return 0


def _percent(raw, low, high, scaled) -> Decimal | None:
    if scaled is not None:
        return min(max(scaled * 100, Decimal(0)), Decimal(100)).quantize(Decimal("0.01"))
    if raw is None:
        return None
    if low is not None and high is not None and high > low:
        value = (raw - low) / (high - low) * 100
    elif high is not None and high > 0:
        value = raw / high * 100
    else:
        value = raw  # SCORM 1.2 scores are 0–100 unless the SCO says otherwise
    return min(max(value, Decimal(0)), Decimal(100)).quantize(Decimal("0.01"))


def cmi_summary(cmi: dict, *, version: str) -> CmiSummary:
    """What a committed data model says, read safely whatever the SCO put in it."""
    data = unwrap(cmi)
    if is_2004(version):
        score = data.get("score") if isinstance(data.get("score"), dict) else {}
        raw, low, high = (_decimal(score.get(k)) for k in ("raw", "min", "max"))
        scaled = _decimal(score.get("scaled"), "0.0001")
        return CmiSummary(
            lesson_status="",
            completion_status=_text(data.get("completion_status"), 20),
            success_status=_text(data.get("success_status"), 20),
            score_raw=raw,
            score_min=low,
            score_max=high,
            score_percent=_percent(raw, low, high, scaled),
            location=_text(data.get("location"), 1000),
            suspend_data=_text(data.get("suspend_data"), 64000),
            exit=_text(data.get("exit"), 20),
            session_seconds=parse_duration(_text(data.get("session_time"), 40), version=version),
            interaction_count=_count(data.get("interactions")),
        )
    core = data.get("core") if isinstance(data.get("core"), dict) else {}
    score = core.get("score") if isinstance(core.get("score"), dict) else {}
    raw, low, high = (_decimal(score.get(k)) for k in ("raw", "min", "max"))
    return CmiSummary(
        lesson_status=_text(core.get("lesson_status"), 20),
        completion_status="",
        success_status="",
        score_raw=raw,
        score_min=low,
        score_max=high,
        score_percent=_percent(raw, low, high, None),
        location=_text(core.get("lesson_location"), 1000),
        suspend_data=_text(data.get("suspend_data"), 4096),
        exit=_text(core.get("exit"), 20),
        session_seconds=parse_duration(_text(core.get("session_time"), 40), version=version),
        interaction_count=_count(data.get("interactions")),
    )


@dataclass(frozen=True)
class AttemptState:
    """What the server holds of the attempt a SCO is about to resume (or nothing, if new)."""

    number: int
    sequence: int
    resume: bool
    lesson_status: str = ""
    completion_status: str = ""
    success_status: str = ""
    score_raw: Decimal | None = None
    score_min: Decimal | None = None
    score_max: Decimal | None = None
    location: str = ""
    suspend_data: str = ""
    total_seconds: int = 0
    was_suspended: bool = False


def next_attempt(
    *, latest_number: int | None, latest_complete: bool, latest_exit: str
) -> tuple[int, bool]:
    """(attempt number, resume?) for a new session of a SCO.

    The learner resumes the latest attempt unless it was completed and not suspended; then a
    fresh attempt starts. Nothing attempted yet: attempt 1.
    """
    if latest_number is None:
        return 1, False
    if latest_complete and latest_exit != "suspend":
        return latest_number + 1, False
    return latest_number, True


def _score_value(value: Decimal | None) -> str:
    return "" if value is None else format(value.normalize(), "f")


def initial_cmi(
    *,
    version: str,
    state: AttemptState,
    learner_id: str,
    learner_name: str,
    mastery_score: float | None = None,
    launch_data: str = "",
) -> dict:
    """The values loaded into the runtime before the SCO initialises (scorm-again's
    `loadFromJSON`): who the learner is and, when resuming, where they were."""
    entry_resume = state.resume and state.was_suspended
    if is_2004(version):
        data: dict = {
            "learner_id": learner_id,
            "learner_name": learner_name,
            "entry": "resume" if entry_resume else "ab-initio",
            "mode": "normal",
            "credit": "credit",
        }
        if launch_data:
            data["launch_data"] = launch_data
        if state.resume:
            data.update(
                {
                    "location": state.location,
                    "suspend_data": state.suspend_data,
                    "total_time": format_duration(state.total_seconds, version=version),
                }
            )
            if state.completion_status:
                data["completion_status"] = state.completion_status
            if state.success_status:
                data["success_status"] = state.success_status
            score = {
                key: _score_value(value)
                for key, value in (
                    ("raw", state.score_raw),
                    ("min", state.score_min),
                    ("max", state.score_max),
                )
                if value is not None
            }
            if score:
                data["score"] = score
        return data
    core: dict = {
        "student_id": learner_id,
        "student_name": learner_name,
        "entry": "resume" if entry_resume else ("" if state.resume else "ab-initio"),
        "lesson_mode": "normal",
        "credit": "credit",
    }
    data = {"core": core}
    if launch_data:
        data["launch_data"] = launch_data
    if mastery_score is not None:
        data["student_data"] = {"mastery_score": _score_value(Decimal(str(mastery_score)))}
    if state.resume:
        core.update(
            {
                "lesson_location": state.location,
                "total_time": format_duration(state.total_seconds, version=version),
            }
        )
        if state.lesson_status:
            core["lesson_status"] = state.lesson_status
        score = {
            key: _score_value(value)
            for key, value in (
                ("raw", state.score_raw),
                ("min", state.score_min),
                ("max", state.score_max),
            )
            if value is not None
        }
        if score:
            core["score"] = score
        data["suspend_data"] = state.suspend_data
    return data
