from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from learners.certificates.codes import (
    ALPHABET,
    CODE_LENGTH,
    format_code,
    generate_code,
    normalise_code,
)
from learners.certificates.rules import add_months, certificate_expiry, reminder_due


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 12, 31)), st.integers(1, 240))
def test_add_months_lands_in_the_right_month(day, months):
    result = add_months(day, months)
    assert (result.year * 12 + result.month) - (day.year * 12 + day.month) == months
    assert result.day <= day.day
    assert result > day


def test_add_months_clamps_month_ends():
    assert add_months(date(2025, 1, 31), 1) == date(2025, 2, 28)
    assert add_months(date(2024, 2, 29), 12) == date(2025, 2, 28)
    assert certificate_expiry(date(2025, 3, 10), None) is None
    assert certificate_expiry(date(2025, 3, 10), 24) == date(2027, 3, 10)


@given(st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 1, 1)), st.integers(-10, 400))
def test_reminder_due_picks_the_nearest_threshold(today, days_left):
    due = reminder_due(today + timedelta(days=days_left), today)
    if days_left < 0 or days_left > 60:
        assert due is None
    elif days_left <= 7:
        assert due == 7
    else:
        assert due == 60


def test_codes_are_unique_and_round_trip():
    codes = {generate_code() for _ in range(2000)}
    assert len(codes) == 2000
    for code in list(codes)[:50]:
        assert len(code) == CODE_LENGTH and set(code) <= set(ALPHABET)
        assert normalise_code(format_code(code)) == code
    assert CODE_LENGTH * 5 >= 128  # bits of entropy


@given(st.text(max_size=120))
def test_normalise_never_fails(raw):
    code = normalise_code(raw)
    assert code is None or (len(code) == CODE_LENGTH and set(code) <= set(ALPHABET))
