"""Pure rules over learner records: no database, easy to test exhaustively."""

import calendar
from collections.abc import Iterable, Sequence
from datetime import date, timedelta


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


# --- HR: status of a learner in a course ---------------------------------------------------------
EXPIRING_WITHIN_DAYS = 60  # a certificate is "expiring" this many days before it lapses
RENEWAL_WINDOW_DAYS = 60  # a recurring assignment reopens this long before the validity ends


class CourseStatus:
    """Machine values of the statuses HR sees; labels live with the views (translated)."""

    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"
    OVERDUE = "overdue"
    CERTIFIED = "certified"
    EXPIRING = "expiring"
    EXPIRED = "expired"

    ALL = (NOT_STARTED, IN_PROGRESS, OVERDUE, COMPLETED, CERTIFIED, EXPIRING, EXPIRED)
    DONE = (COMPLETED, CERTIFIED, EXPIRING, EXPIRED)


def learner_course_status(
    *,
    today: date,
    due_on: date | None,
    started: bool,
    completed_on: date | None,
    has_certificate: bool,
    certificate_expires_on: date | None,
) -> str:
    """Status of one learner's current cycle in one course, as HR sees it on `today`.

    A completed cycle is judged by its live certificate (expired, expiring within
    EXPIRING_WITHIN_DAYS, or certified), or is simply "completed" when the course issues none.
    An open cycle is overdue once its due date has passed, else in progress or not started.
    """
    if completed_on is not None:
        if not has_certificate:
            return CourseStatus.COMPLETED
        if certificate_expires_on is None:
            return CourseStatus.CERTIFIED
        if certificate_expires_on < today:
            return CourseStatus.EXPIRED
        if certificate_expires_on <= today + timedelta(days=EXPIRING_WITHIN_DAYS):
            return CourseStatus.EXPIRING
        return CourseStatus.CERTIFIED
    if due_on is not None and due_on < today:
        return CourseStatus.OVERDUE
    return CourseStatus.IN_PROGRESS if started else CourseStatus.NOT_STARTED


def recertification_due_on(completed_on: date, recurrence_months: int) -> date:
    """When a recurring assignment must be completed again."""
    return add_months(completed_on, recurrence_months)


def recurrence_reopens(*, today: date, completed_on: date, recurrence_months: int) -> bool:
    """True once a completed recurring assignment enters its renewal window (or is past it)."""
    due = recertification_due_on(completed_on, recurrence_months)
    return today >= due - timedelta(days=RENEWAL_WINDOW_DAYS)


def reminder_kind_due(*, today: date, due_on: date) -> str | None:
    """Which learner reminder applies on `today`: due_14, due_3, overdue, or none yet.

    Thresholds are windows, not exact days, so a missed daily run still sends the reminder.
    """
    days_left = (due_on - today).days
    if days_left < 0:
        return "overdue"
    if days_left <= 3:
        return "due_3"
    if days_left <= 14:
        return "due_14"
    return None


def neutralise_cell(value: object) -> object:
    """Defuse spreadsheet formulas: text starting with = + - @ (or tab/CR) gets a leading quote."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


LATE_JOINER_DAYS = 30  # someone who joins after the due date still gets this long


def joiner_due_on(*, assignment_due_on: date, today: date) -> date:
    """Due date for a person who joins a department or organisation after it was assigned."""
    return max(assignment_due_on, today + timedelta(days=LATE_JOINER_DAYS))
