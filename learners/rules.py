"""Pure rules over learner records: no database, easy to test exhaustively."""

import calendar
from collections.abc import Iterable, Sequence
from datetime import date


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


def add_months(day: date, months: int) -> date:
    """The same day `months` later; the 31st becomes the last day of a shorter month."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def certificate_expiry(completed_on: date, validity_months: int | None) -> date | None:
    """Last day on which a certificate is valid; None when the course sets no validity."""
    if not validity_months:
        return None
    return add_months(completed_on, validity_months)


REMINDER_THRESHOLDS = (60, 7)


def reminder_due(expires_on: date | None, today: date) -> int | None:
    """The reminder (days before expiry) a certificate is due today, if any.

    Only the nearest threshold counts, so a missed day of cron never sends both at once.
    """
    if expires_on is None or expires_on < today:
        return None
    days_left = (expires_on - today).days
    due = [t for t in REMINDER_THRESHOLDS if days_left <= t]
    return min(due) if due else None
