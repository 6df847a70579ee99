"""Pure HR rules on fixed dates."""

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from learners.certificates.rules import add_months
from learners.common.spreadsheets import neutralise_cell
from learners.hr.rules import (
    CourseStatus,
    joiner_due_on,
    learner_course_status,
    recertification_due_on,
    recurrence_reopens,
    reminder_kind_due,
)

TODAY = date(2026, 6, 15)


def status(**kw):
    base = {
        "today": TODAY,
        "due_on": None,
        "started": False,
        "completed_on": None,
        "has_certificate": False,
        "certificate_expires_on": None,
    }
    return learner_course_status(**{**base, **kw})


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        ({}, CourseStatus.NOT_STARTED),
        ({"started": True}, CourseStatus.IN_PROGRESS),
        ({"due_on": date(2026, 6, 15)}, CourseStatus.NOT_STARTED),  # due today: not yet late
        ({"due_on": date(2026, 6, 14)}, CourseStatus.OVERDUE),
        ({"due_on": date(2026, 6, 14), "started": True}, CourseStatus.OVERDUE),
        ({"completed_on": date(2026, 1, 1)}, CourseStatus.COMPLETED),
        ({"completed_on": date(2026, 1, 1), "due_on": date(2025, 1, 1)}, CourseStatus.COMPLETED),
        ({"completed_on": date(2026, 1, 1), "has_certificate": True}, CourseStatus.CERTIFIED),
        (
            {
                "completed_on": date(2026, 1, 1),
                "has_certificate": True,
                "certificate_expires_on": date(2026, 8, 15),
            },
            CourseStatus.CERTIFIED,
        ),
        (
            {
                "completed_on": date(2026, 1, 1),
                "has_certificate": True,
                "certificate_expires_on": date(2026, 8, 14),
            },
            CourseStatus.EXPIRING,
        ),
        (
            {
                "completed_on": date(2026, 1, 1),
                "has_certificate": True,
                "certificate_expires_on": date(2026, 6, 15),
            },
            CourseStatus.EXPIRING,
        ),
        (
            {
                "completed_on": date(2025, 1, 1),
                "has_certificate": True,
                "certificate_expires_on": date(2026, 6, 14),
            },
            CourseStatus.EXPIRED,
        ),
    ],
)
def test_learner_course_status_on_fixed_dates(kwargs, expected):
    assert status(**kwargs) == expected


def test_add_months_clamps_to_month_end():
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert add_months(date(2028, 1, 31), 1) == date(2028, 2, 29)
    assert add_months(date(2026, 11, 30), 3) == date(2027, 2, 28)
    assert add_months(date(2026, 6, 15), 24) == date(2028, 6, 15)


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 1, 1)), st.integers(1, 240))
def test_add_months_lands_in_the_right_month(day, months):
    result = add_months(day, months)
    assert (result.year * 12 + result.month) - (day.year * 12 + day.month) == months
    assert result.day <= day.day


def test_recurrence_reopens_sixty_days_before_validity_ends():
    completed = date(2025, 6, 15)
    assert recertification_due_on(completed, 12) == date(2026, 6, 15)
    assert not recurrence_reopens(
        today=date(2026, 4, 15), completed_on=completed, recurrence_months=12
    )
    assert recurrence_reopens(today=date(2026, 4, 16), completed_on=completed, recurrence_months=12)
    assert recurrence_reopens(today=date(2027, 1, 1), completed_on=completed, recurrence_months=12)


def test_reminder_windows():
    due = date(2026, 7, 1)
    assert reminder_kind_due(today=date(2026, 6, 16), due_on=due) is None  # 15 days left
    assert reminder_kind_due(today=date(2026, 6, 17), due_on=due) == "due_14"
    assert reminder_kind_due(today=date(2026, 6, 27), due_on=due) == "due_14"  # 4 days left
    assert reminder_kind_due(today=date(2026, 6, 28), due_on=due) == "due_3"
    assert reminder_kind_due(today=date(2026, 7, 1), due_on=due) == "due_3"
    assert reminder_kind_due(today=date(2026, 7, 2), due_on=due) == "overdue"


def test_late_joiner_gets_at_least_thirty_days():
    assert joiner_due_on(assignment_due_on=date(2026, 1, 1), today=TODAY) == date(2026, 7, 15)
    assert joiner_due_on(assignment_due_on=date(2026, 12, 1), today=TODAY) == date(2026, 12, 1)


@pytest.mark.parametrize("dangerous", ["=1+1", "+SUM(A1)", "-2+3", "@cmd", "\t=x", "\r=x"])
def test_formula_cells_are_neutralised(dangerous):
    assert neutralise_cell(dangerous) == "'" + dangerous


@pytest.mark.parametrize("safe", ["Ana", "", "a=b", 42, None])
def test_other_cells_are_left_alone(safe):
    assert neutralise_cell(safe) == safe
