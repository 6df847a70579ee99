"""Pure date rules of certificates: expiry and reminder thresholds."""

import calendar
from datetime import date


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
