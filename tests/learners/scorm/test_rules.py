"""Pure rules of the SCORM room: durations, reading a committed data model, attempts, the
values a SCO starts with."""

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from learners.scorm.rules import (
    AttemptState,
    cmi_summary,
    format_duration,
    initial_cmi,
    next_attempt,
    parse_duration,
)


@given(st.integers(min_value=0, max_value=9999 * 3600))
def test_durations_round_trip(seconds):
    for version in ("1.2", "2004-4"):
        assert parse_duration(format_duration(seconds, version=version), version=version) == seconds


def test_durations_from_scos():
    assert parse_duration("00:01:30", version="1.2") == 90
    assert parse_duration("0000:10:05.25", version="1.2") == 605
    assert parse_duration("PT1H2M3.5S", version="2004-3") == 3723
    assert parse_duration("P1DT1S", version="2004-3") == 86401
    for bad in ("", "PT", "P", "nonsense", "12:99:00", "PT-5S"):
        assert parse_duration(bad, version="2004-4") == 0


def test_scorm_12_summary():
    summary = cmi_summary(
        {
            "cmi": {
                "core": {
                    "lesson_status": "passed",
                    "score": {"raw": "42", "min": "0", "max": "50"},
                    "lesson_location": "p3",
                    "exit": "suspend",
                    "session_time": "00:02:00",
                },
                "suspend_data": "abc",
                "interactions": {"childArray": [{"id": "q1"}, {"id": "q2"}]},
            }
        },
        version="1.2",
    )
    assert summary.complete and summary.success is True
    assert summary.score_percent == Decimal("84.00")
    assert (summary.location, summary.suspend_data, summary.exit) == ("p3", "abc", "suspend")
    assert summary.session_seconds == 120
    assert summary.interaction_count == 2


def test_scorm_12_failed_is_not_complete():
    summary = cmi_summary({"core": {"lesson_status": "failed"}}, version="1.2")
    assert not summary.complete and summary.success is False


def test_scorm_2004_summary():
    summary = cmi_summary(
        {
            "completion_status": "completed",
            "success_status": "unknown",
            "score": {"scaled": "0.755", "raw": "nonsense"},
            "session_time": "PT1M",
            "interactions": [{"id": "a"}],
        },
        version="2004-4",
    )
    assert summary.complete and summary.success is None
    assert summary.score_percent == Decimal("75.50")
    assert summary.score_raw is None
    assert summary.interaction_count == 1


def test_scorm_2004_completed_but_failed_is_not_a_completed_lesson():
    summary = cmi_summary(
        {"completion_status": "completed", "success_status": "failed"}, version="2004-3"
    )
    assert not summary.complete and summary.success is False


@given(
    st.recursive(
        st.none() | st.booleans() | st.text(max_size=5) | st.integers(),
        lambda children: (
            st.lists(children, max_size=3)
            | st.dictionaries(st.text(max_size=5), children, max_size=3)
        ),
        max_leaves=20,
    )
)
def test_summary_never_fails_on_junk(junk):
    for version in ("1.2", "2004-4"):
        cmi_summary(junk if isinstance(junk, dict) else {"cmi": junk}, version=version)


def test_attempts():
    assert next_attempt(latest_number=None, latest_complete=False, latest_exit="") == (1, False)
    assert next_attempt(latest_number=1, latest_complete=False, latest_exit="") == (1, True)
    assert next_attempt(latest_number=1, latest_complete=True, latest_exit="suspend") == (1, True)
    assert next_attempt(latest_number=1, latest_complete=True, latest_exit="") == (2, False)


def test_initial_values_resume_a_suspended_12_attempt():
    state = AttemptState(
        number=1,
        sequence=4,
        resume=True,
        lesson_status="incomplete",
        location="page-2",
        suspend_data="seen=1,2",
        total_seconds=95,
        was_suspended=True,
    )
    data = initial_cmi(
        version="1.2", state=state, learner_id="7", learner_name="Lea", mastery_score=70
    )
    assert data["core"]["entry"] == "resume"
    assert data["core"]["lesson_location"] == "page-2"
    assert data["core"]["total_time"] == "0000:01:35"
    assert data["suspend_data"] == "seen=1,2"
    assert data["student_data"]["mastery_score"] == "70"


def test_initial_values_of_a_new_2004_attempt():
    data = initial_cmi(
        version="2004-4",
        state=AttemptState(number=2, sequence=0, resume=False),
        learner_id="7",
        learner_name="Lea",
    )
    assert data == {
        "learner_id": "7",
        "learner_name": "Lea",
        "entry": "ab-initio",
        "mode": "normal",
        "credit": "credit",
    }
