import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from courses.blocks.quiz import MultipleChoiceBlock, SingleChoiceBlock
from courses.models import CoursePage, ModulePage, QuizPage
from courses.selectors.outline import course_outline, course_outline_build
from courses.selectors.quizzes import quiz_questions_plain
from tests.factories import make_course, make_quiz

pytestmark = pytest.mark.django_db


def _choices(*flags):
    return [{"text": f"c{i}", "correct": flag, "feedback": ""} for i, flag in enumerate(flags)]


@pytest.mark.parametrize(
    ("block", "flags", "ok"),
    [
        (SingleChoiceBlock(), (True, False), True),
        (SingleChoiceBlock(), (False, False), False),
        (SingleChoiceBlock(), (True, True), False),
        (MultipleChoiceBlock(), (True, True, False), True),
        (MultipleChoiceBlock(), (False, False), False),
    ],
)
def test_choice_question_needs_a_correct_choice(block, flags, ok):
    value = block.to_python({"text": "Q?", "points": 1, "choices": _choices(*flags)})
    if ok:
        block.clean(value)
    else:
        with pytest.raises(ValidationError):
            block.clean(value)


def test_pass_mark_and_draw_count_validated():
    tree = make_course(modules=1, lessons_per_module=1)
    quiz = make_quiz(tree.modules[0], questions=5)
    quiz.full_clean()
    quiz.pass_mark = 101
    with pytest.raises(ValidationError) as error:
        quiz.full_clean()
    assert "pass_mark" in error.value.message_dict
    quiz.pass_mark = 70
    quiz.draw_count = 6
    with pytest.raises(ValidationError) as error:
        quiz.full_clean()
    assert "draw_count" in error.value.message_dict
    quiz.draw_count = 5
    quiz.full_clean()


def test_quiz_may_sit_in_module_or_course():
    assert QuizPage in ModulePage.allowed_subpage_models()
    assert QuizPage in CoursePage.allowed_subpage_models()
    assert QuizPage.allowed_parent_page_models() == [ModulePage, CoursePage]


def test_preview_shows_questions_and_answers_to_trainers():
    tree = make_course(modules=1, lessons_per_module=1)
    quiz = make_quiz(tree.modules[0], questions=5)
    response = quiz.make_preview_request()
    html = response.rendered_content if hasattr(response, "rendered_content") else ""
    html = html or response.content.decode()
    assert "Preview for trainers" in html
    assert "Question 4: which is right?" in html and "EXPLANATION-0" in html


def test_plain_questions_keep_stable_block_ids():
    tree = make_course(modules=1, lessons_per_module=1)
    quiz = make_quiz(tree.modules[0], questions=5)
    first = [q["id"] for q in quiz_questions_plain(quiz)]
    quiz.title = "Renamed"
    quiz.save_revision().publish()
    again = [q["id"] for q in quiz_questions_plain(QuizPage.objects.get(pk=quiz.pk))]
    assert first == again and all(first) and len(set(first)) == 5


def test_outline_places_quizzes_at_constant_queries():
    tree = make_course(modules=2, lessons_per_module=2)
    module_quiz = make_quiz(tree.modules[0])
    final = make_quiz(tree.course)
    course_outline_build(tree.course)  # warm the site-root cache that page URLs use
    with CaptureQueriesContext(connection) as small:
        outline = course_outline_build(tree.course)
    assert outline.modules[0].items[-1].id == module_quiz.pk
    assert outline.modules[0].items[-1].kind == "quiz"
    assert [item.id for item in outline.course_items] == [final.pk]
    assert outline.lesson_count == 4  # quizzes are not lessons
    make_quiz(tree.modules[1])
    make_quiz(tree.course)
    with CaptureQueriesContext(connection) as large:
        outline = course_outline_build(tree.course)
    assert len(large.captured_queries) == len(small.captured_queries)
    assert len(outline.course_items) == 2
    # The cached outline (what pages show) took the new quizzes in too.
    assert len(course_outline(tree.course).course_items) == 2


def test_admin_edit_and_add_views_render(client):
    from tests.factories import UserFactory

    admin = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(admin)
    tree = make_course(modules=1, lessons_per_module=1)
    quiz = make_quiz(tree.modules[0], questions=5)
    assert client.get(f"/admin/pages/{quiz.pk}/edit/").status_code == 200
    add_url = f"/admin/pages/add/courses/quizpage/{tree.course.pk}/"
    assert client.get(add_url).status_code == 200
