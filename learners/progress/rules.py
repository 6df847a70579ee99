"""Pure rules of progress: percentages, the resume point, lessons complete."""

from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta

# Reading the lesson one is already on refreshes its "last viewed" and the enrolment's "last
# activity" at most this often: those feed HR's activity figures, counted in days, and
# writing them on every page view made every lesson GET a database write.
VIEW_REFRESH = timedelta(minutes=5)


def progress_percent(completed: int, total: int) -> int:
    """Whole-number percentage, never above 100; an empty course counts as 0 %."""
    if total <= 0:
        return 0
    return min(100, (max(0, completed) * 100) // total)


def continue_lesson_id(
    ordered_lesson_ids: Sequence[int],
    completed_ids: Iterable[int],
    last_viewed_id: int | None,
) -> int | None:
    """The lesson to resume: the first incomplete one from the last viewed onwards.

    When everything after the last viewed lesson is done, earlier gaps are offered; when all
    lessons are complete there is nothing to continue.
    """
    completed = set(completed_ids)
    start = 0
    if last_viewed_id in ordered_lesson_ids:
        start = ordered_lesson_ids.index(last_viewed_id)
    for lesson_id in [*ordered_lesson_ids[start:], *ordered_lesson_ids[:start]]:
        if lesson_id not in completed:
            return lesson_id
    return None


def lessons_complete(ordered_lesson_ids: Iterable[int], completed_ids: Iterable[int]) -> bool:
    """True when every live lesson is complete (a course with no live lessons is not)."""
    live = set(ordered_lesson_ids)
    return bool(live) and live <= set(completed_ids)


def lesson_view_due(
    *,
    lesson_id: int,
    viewed: bool,
    last_lesson_id: int | None,
    last_activity_at: datetime | None,
    now: datetime,
) -> bool:
    """Whether opening a lesson must be written down.

    Always on the first view (first viewed time, the learning event) and when the learner
    moves to another lesson (the resume point); re-reading the current lesson only refreshes
    the activity times once they are VIEW_REFRESH old.
    """
    if not viewed or last_lesson_id != lesson_id or last_activity_at is None:
        return True
    return now - last_activity_at >= VIEW_REFRESH
