"""Catalogue filters (topic, level, language) and site search over courses and lessons."""

import pytest

from courses.models import LessonPage, Level, Topic
from tests.factories import UserFactory, catalogue_page, make_course

pytestmark = pytest.mark.django_db


@pytest.fixture
def courses(db):
    governance = Topic.objects.create(name="Global governance", slug="global-governance")
    investment = Topic.objects.create(name="Investment", slug="investment")
    networks = make_course(
        title="City networks", level=Level.INTRODUCTORY, language="en", modules=1
    )
    networks.course.topics.add(governance)
    networks.course.save_revision().publish()
    promotion = make_course(title="Promoting investment", level=Level.ADVANCED, language="en")
    promotion.course.topics.add(investment)
    promotion.course.save_revision().publish()
    redes = make_course(title="Redes de ciudades", level=Level.INTRODUCTORY, language="es")
    redes.course.topics.add(governance, investment)
    redes.course.save_revision().publish()
    return {"networks": networks, "promotion": promotion, "redes": redes}


def titles(response) -> set[str]:
    return {course.title for course in response.context["courses"]}


def test_catalogue_lists_all_published_courses(client, courses):
    draft = make_course(title="Unpublished draft")
    draft.course.unpublish()
    response = client.get(catalogue_page().url)
    assert response.status_code == 200
    assert titles(response) == {"City networks", "Promoting investment", "Redes de ciudades"}
    assert "Unpublished draft" not in response.content.decode()


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("topic=global-governance", {"City networks", "Redes de ciudades"}),
        ("topic=investment", {"Promoting investment", "Redes de ciudades"}),
        ("level=advanced", {"Promoting investment"}),
        ("level=introductory", {"City networks", "Redes de ciudades"}),
        ("language=es", {"Redes de ciudades"}),
        ("language=en&level=introductory", {"City networks"}),
        ("topic=investment&language=es&level=introductory", {"Redes de ciudades"}),
        ("topic=investment&level=intermediate", set()),
    ],
)
def test_catalogue_filters(client, courses, query, expected):
    response = client.get(f"{catalogue_page().url}?{query}")
    assert response.status_code == 200
    assert titles(response) == expected


@pytest.mark.parametrize(
    "query",
    [
        "level=expert",
        "language=klingon",
        "language[]=es",
        "level=advanced&level=introductory",
        "topic=" + "x" * 5000,
        "topic=%F0%9F%90%8D",
        "page=abc",
    ],
)
def test_invalid_filter_values_are_ignored_not_errors(client, courses, query):
    response = client.get(f"{catalogue_page().url}?{query}")
    assert response.status_code == 200
    if "topic=" not in query and not query.startswith("level=advanced"):
        assert len(titles(response)) == 3


def test_catalogue_offers_the_facets(client, courses):
    html = client.get(catalogue_page().url).content.decode()
    assert '<label for="filter-topic">' in html and 'value="global-governance"' in html
    assert 'value="advanced"' in html and 'value="es"' in html


def test_catalogue_query_count_does_not_grow_with_courses(client, django_assert_max_num_queries):
    make_course(title="First", modules=1, lessons_per_module=1)
    # Signed in: anonymous visitors get the whole-page cache (0 queries, tests/courses/
    # test_page_cache.py); this measures the rendering itself.
    client.force_login(UserFactory())
    url = catalogue_page().url
    client.get(url)  # warm caches (site root paths)
    with django_assert_max_num_queries(15) as small:
        client.get(url)
    for n in range(5):
        make_course(title=f"More {n}", modules=1, lessons_per_module=1)
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(url)


# --- Search --------------------------------------------------------------------------------------
@pytest.fixture
def searchable(db):
    tree = make_course(title="Decentralised cooperation")
    tree.course.summary = "Twinning and solidarity abroad."
    tree.course.save_revision().publish()
    lesson = tree.lessons[0]
    lesson.body = [
        {"type": "paragraph", "value": "<p>The aquaculture partnership with a coastal city.</p>"}
    ]
    lesson.save_revision().publish()
    return tree


def search(client, q: str):
    response = client.get("/en/search/", {"q": q})
    assert response.status_code == 200
    return response


def test_search_finds_a_lesson_by_a_word_in_its_body(client, searchable):
    response = search(client, "aquaculture")
    results = [page.specific for page in response.context["results"]]
    assert [page.pk for page in results] == [searchable.lessons[0].pk]
    assert isinstance(results[0], LessonPage)


def test_search_finds_a_course_by_its_summary(client, searchable):
    response = search(client, "solidarity")
    assert searchable.course.pk in [page.pk for page in response.context["results"]]
    assert "Decentralised cooperation" in response.content.decode()


def test_search_ignores_unpublished_pages(client, searchable):
    searchable.lessons[0].unpublish()
    response = search(client, "aquaculture")
    assert len(response.context["results"]) == 0
    assert "Nothing matched" in response.content.decode()


ODD_QUERIES = [
    "",
    "   ",
    "x" * 10_000,
    "<script>alert(1)</script>",
    "%",
    "'\"",
    '"unbalanced',
    "a AND OR NOT",
    "NEAR(a b)",
    "col:word",
    "*",
    "(((",
    "-",
]


@pytest.mark.parametrize("q", ODD_QUERIES)
def test_empty_overlong_and_odd_queries_are_handled(client, searchable, q):
    response = search(client, q)
    assert len(response.context["query"]) <= 200
    assert "<script>alert(1)</script>" not in response.content.decode()


@pytest.mark.parametrize("query", ["q=%00", "q=a%00b", "level=%00"])
def test_nul_in_search_or_filters_is_refused_with_the_reason(client, searchable, query):
    # cms.middleware.InvalidInputMiddleware answers every NUL the same way, site-wide.
    for path in ("/en/search/", catalogue_page().url):
        response = client.get(f"{path}?{query}")
        assert response.status_code == 400
        assert "cannot be stored" in response.content.decode()


def test_search_with_punctuation_still_finds_words(client, searchable):
    response = search(client, '"aquaculture')
    assert [page.pk for page in response.context["results"]] == [searchable.lessons[0].pk]


def test_search_bad_page_number_falls_back_to_first_page(client, searchable):
    response = client.get("/en/search/", {"q": "solidarity", "page": "999"})
    assert response.status_code == 200
    assert response.context["results"].number == 1
