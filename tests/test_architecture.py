"""The shape of the house: rooms by feature, and the extension points wired at start-up."""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOMAIN_WORDS = r"(hr|certificates?|quiz(zes)?|attempts?|progress|accounts?|enrolments?)"


@pytest.mark.parametrize("app", ["learners", "courses"])
def test_no_top_level_module_carries_a_domain_prefix_or_suffix(app):
    pattern = re.compile(rf"^({DOMAIN_WORDS}_\w+|\w+_{DOMAIN_WORDS})\.py$")
    offenders = [p.name for p in (ROOT / app).glob("*.py") if pattern.match(p.name)]
    assert offenders == [], f"{app}/{offenders} belong in a room folder"


def test_each_room_is_a_package():
    for room in ["accounts", "progress", "attempts", "certificates", "hr", "privacy", "common"]:
        assert (ROOT / "learners" / room / "__init__.py").exists(), room


def test_higher_rooms_plug_into_progress_at_start_up():
    from learners.attempts.selectors import attach_quiz_extras, required_quizzes_passed
    from learners.hr.selectors import attach_assignment_extras
    from learners.progress import selectors, services

    assert required_quizzes_passed in services.EXTRA_REQUIREMENTS
    assert attach_quiz_extras in selectors.DASHBOARD_EXTRAS
    assert attach_assignment_extras in selectors.DASHBOARD_EXTRAS


def test_registering_twice_adds_nothing():
    from learners.attempts.selectors import required_quizzes_passed
    from learners.progress import services

    before = list(services.EXTRA_REQUIREMENTS)
    services.completion_requirement_register(required_quizzes_passed)
    assert before == services.EXTRA_REQUIREMENTS
