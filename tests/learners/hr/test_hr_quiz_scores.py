"""HR learner page: best quiz scores per quiz of the current enrolments, never answers."""

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from learners.attempts.services import attempt_start, attempt_submit
from learners.hr.selectors import learner_quiz_best_scores
from learners.models import Enrolment
from learners.progress.services import enrolment_create
from tests.factories import UserFactory, correct_form, make_course, make_quiz, wrong_form

pytestmark = pytest.mark.django_db


@pytest.fixture
def scored(people):
    """Ana (Municipality A) failed then passed the final quiz and failed a module quiz once."""
    tree = make_course(modules=1, lessons_per_module=1, title="Records management")
    final = make_quiz(tree.course, title="Final assessment", questions=5, pass_mark=60)
    module_quiz = make_quiz(tree.modules[0], title="Module check", questions=3, pass_mark=60)
    enrolment_create(user=people["a"], course=tree.course)
    for form in (wrong_form, correct_form):
        attempt = attempt_start(user=people["a"], quiz=final)
        attempt_submit(user=people["a"], attempt=attempt, data=form(attempt.snapshot))
    attempt = attempt_start(user=people["a"], quiz=module_quiz)
    attempt_submit(user=people["a"], attempt=attempt, data=wrong_form(attempt.snapshot))
    return {"tree": tree, "final": final, "module_quiz": module_quiz}


def test_selector_gives_best_pass_and_attempts_per_quiz(people, scored):
    rows = {row.quiz_title: row for row in learner_quiz_best_scores(people["a"])}
    assert set(rows) == {"Final assessment", "Module check"}
    final = rows["Final assessment"]
    assert (final.course_title, final.best_percent, final.passed, final.attempts_used) == (
        "Records management",
        100,
        True,
        2,
    )
    check = rows["Module check"]
    assert (check.best_percent, check.passed, check.attempts_used) == (0, False, 1)


def test_selector_ignores_archived_enrolments(people, scored):
    Enrolment.objects.filter(user=people["a"]).update(archived_at=timezone.now())
    assert learner_quiz_best_scores(people["a"]) == []


def test_selector_is_one_query(people, scored, django_assert_num_queries):
    with django_assert_num_queries(1):
        learner_quiz_best_scores(people["a"])


def test_officer_in_scope_sees_best_scores_and_no_answers(client, officer_a, people, scored):
    client.force_login(officer_a)
    response = client.get(f"/en/hr/learners/{people['a'].pk}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Quiz best scores" in html
    assert "Final assessment" in html and "Module check" in html
    assert "100.0\u00a0%" in html and "Passed" in html and "Not passed" in html
    # Nothing from the questions or the learner's answers reaches HR: no question text, option,
    # accepted answer, matching text, feedback or explanation (the factories mark them all).
    for marker in [
        "Question ",
        "Option ",
        "Accepted",
        "ALTERNATIVE",
        "nonsense",
        "Prompt ",
        "Match ",
    ]:
        assert marker not in html, marker
    for marker in ["FEEDBACK-", "EXPLANATION-"]:
        assert marker not in html, marker


def test_metro_officer_sees_scores_of_a_municipality(client, officer_metro, people, scored):
    client.force_login(officer_metro)
    html = client.get(f"/en/hr/learners/{people['a'].pk}/").content.decode()
    assert "Final assessment" in html


def test_superuser_sees_scores(client, people, scored):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    html = client.get(f"/en/hr/learners/{people['a'].pk}/").content.decode()
    assert "Final assessment" in html


def test_officer_out_of_scope_gets_404(client, orgs, people, scored):
    from tests.factories import HROfficerRoleFactory

    officer_c = HROfficerRoleFactory(organisation=orgs["c"]).user
    client.force_login(officer_c)
    assert client.get(f"/en/hr/learners/{people['a'].pk}/").status_code == 404


def test_learner_trainer_and_anonymous_are_refused(client, people, scored):
    trainer = UserFactory(is_staff=True)
    trainer.groups.add(Group.objects.get_or_create(name="Trainers")[0])
    for user in (people["a"], trainer):
        client.force_login(user)
        assert client.get(f"/en/hr/learners/{people['a'].pk}/").status_code == 403
    client.logout()
    response = client.get(f"/en/hr/learners/{people['a'].pk}/")
    assert response.status_code == 302 and "/en/accounts/login/" in response["Location"]


def test_page_says_when_there_are_no_attempts(client, officer_a, people):
    client.force_login(officer_a)
    html = client.get(f"/en/hr/learners/{people['a'].pk}/").content.decode()
    assert "No quiz attempts in the current courses." in html
