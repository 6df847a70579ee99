"""Page type rules: catalogue → course → module → lesson, and nowhere else."""

import pytest
from wagtail.models import Page

from cms.models import HomePage, StandardPage
from courses.models import (
    CourseCataloguePage,
    CoursePage,
    LessonPage,
    ModulePage,
    QuizPage,
    ScormLessonPage,
    WorkbookPage,
)

pytestmark = pytest.mark.django_db

CONTENT_TYPES = [HomePage, StandardPage, CourseCataloguePage, CoursePage, ModulePage, LessonPage]

# child model -> the only parent model it may be created under
ALLOWED_PARENT = {
    CourseCataloguePage: HomePage,
    CoursePage: CourseCataloguePage,
    ModulePage: CoursePage,
    LessonPage: ModulePage,
}


@pytest.fixture
def parents(course_tree):
    from tests.factories import catalogue_page, home_page

    home = home_page()
    standard = StandardPage(title="About", slug="about")
    home.add_child(instance=standard)
    return {
        HomePage: home,
        StandardPage: standard,
        CourseCataloguePage: catalogue_page(),
        CoursePage: course_tree.course,
        ModulePage: course_tree.modules[0],
        LessonPage: course_tree.lessons[0],
    }


@pytest.mark.parametrize("child", list(ALLOWED_PARENT))
@pytest.mark.parametrize("parent", CONTENT_TYPES)
def test_can_create_only_under_its_parent_type(parents, child, parent):
    allowed = ALLOWED_PARENT[child] is parent
    assert child.can_create_at(parents[parent]) is allowed


@pytest.mark.parametrize("child", list(ALLOWED_PARENT))
def test_not_creatable_at_the_tree_root(child):
    assert not child.can_create_at(Page.get_first_root_node())


def test_declared_parent_and_subpage_models():
    assert CourseCataloguePage.allowed_parent_page_models() == [HomePage]
    assert CoursePage.allowed_parent_page_models() == [CourseCataloguePage]
    assert ModulePage.allowed_parent_page_models() == [CoursePage]
    assert LessonPage.allowed_parent_page_models() == [ModulePage]
    assert set(QuizPage.allowed_parent_page_models()) == {ModulePage, CoursePage}
    assert CourseCataloguePage.allowed_subpage_models() == [CoursePage]
    # A quiz under a course is its final assessment; under a module, that module's quiz.
    assert set(CoursePage.allowed_subpage_models()) == {ModulePage, QuizPage, WorkbookPage}
    assert set(WorkbookPage.allowed_parent_page_models()) == {CoursePage}
    assert WorkbookPage.allowed_subpage_models() == []
    assert set(ModulePage.allowed_subpage_models()) == {LessonPage, ScormLessonPage, QuizPage}
    assert LessonPage.allowed_subpage_models() == []
    assert ScormLessonPage.allowed_parent_page_models() == [ModulePage]
    assert ScormLessonPage.allowed_subpage_models() == []
    assert QuizPage.allowed_subpage_models() == []
    assert set(HomePage.allowed_subpage_models()) == {CourseCataloguePage, StandardPage}


def test_home_page_is_a_singleton(parents):
    assert not HomePage.can_create_at(Page.get_first_root_node())


@pytest.mark.parametrize(
    ("child", "parent"),
    [(LessonPage, CoursePage), (ModulePage, CourseCataloguePage), (CoursePage, HomePage)],
)
def test_admin_refuses_a_page_under_the_wrong_parent(client, parents, child, parent):
    from tests.factories import UserFactory

    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    meta = child._meta
    url = f"/admin/pages/add/{meta.app_label}/{meta.model_name}/{parents[parent].pk}/"
    for response in (client.get(url), client.post(url, {"title": "Misplaced", "slug": "x"})):
        # Wagtail answers a forbidden page type with "permission denied": back to the dashboard.
        assert response.status_code == 302 and response.url == "/admin/"
    assert not Page.objects.filter(title="Misplaced").exists()
