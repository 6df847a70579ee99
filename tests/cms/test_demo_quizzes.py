import pytest

from cms.demo.quizzes import load_quizzes
from cms.demo.site import load_site
from courses.models import CompletionRule, CoursePage, ModulePage, QuizPage
from courses.selectors.quizzes import quiz_questions_plain

pytestmark = pytest.mark.django_db


def test_flagship_quizzes_load_once_and_meet_the_brief():
    course = load_site()["course"]
    first = load_quizzes(course)
    again = load_quizzes(course)
    assert QuizPage.objects.count() == 8
    assert [q.pk for q in again["module_quizzes"]] == [q.pk for q in first["module_quizzes"]]

    for module in ModulePage.objects.child_of(course):
        children = list(module.get_children().specific())
        assert isinstance(children[-1], QuizPage), "the module quiz is the module's last page"
        questions = quiz_questions_plain(children[-1])
        assert len(questions) >= 5
        assert len({q["type"] for q in questions}) >= 3

    final = QuizPage.objects.child_of(course).get()
    pool = quiz_questions_plain(final)
    assert len(pool) >= 20 and final.draw_count == 15 and final.question_count == 15
    assert final.pass_mark == 70 and final.attempts_allowed == 3
    assert final.time_limit_minutes == 30 and final.required_for_completion
    final.full_clean()
    assert CoursePage.objects.get(pk=course.pk).completion_rule == (
        CompletionRule.LESSONS_AND_QUIZZES
    )
