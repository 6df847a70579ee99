"""Pure rules of HR statuses, recurrence and reminders: no database, easy to test exhaustively."""

from datetime import date, timedelta

from learners.certificates.rules import add_months

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


LATE_JOINER_DAYS = 30  # someone who joins after the due date still gets this long


def joiner_due_on(*, assignment_due_on: date, today: date) -> date:
    """Due date for a person who joins a department or organisation after it was assigned."""
    return max(assignment_due_on, today + timedelta(days=LATE_JOINER_DAYS))
