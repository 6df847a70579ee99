from datetime import timedelta
from decimal import Decimal

from learners.models import ActivityEvent, User, Verb


def activity_record(
    *,
    actor: User,
    verb: Verb,
    object_type: str,
    object_id: int | None,
    object_title: str,
    course_id: int | None = None,
    course_title: str = "",
    score: Decimal | float | None = None,
    success: bool | None = None,
    completion: bool | None = None,
    duration: timedelta | None = None,
) -> ActivityEvent:
    """Append one event to the activity log."""
    return ActivityEvent.objects.create(
        actor=actor,
        verb=verb,
        object_type=object_type,
        object_id=object_id,
        object_title=object_title[:255],
        course_id=course_id,
        course_title=course_title[:255],
        organisation_id=actor.organisation_id,
        result_score=None if score is None else Decimal(str(round(float(score), 2))),
        result_success=success,
        result_completion=completion,
        result_duration=duration,
    )
