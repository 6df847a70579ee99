"""URLs carry the language, old addresses redirect, switcher, search per language."""

import json

import pytest
from django.urls import reverse
from django.utils import translation

from cms.models import StandardPage
from courses.models import QuizPage
from tests.factories import (
    catalogue_page,
    home_page,
    make_course,
    make_quiz,
    quiz_question,
    translate,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def spanish_course():
    tree = make_course(modules=1, lessons_per_module=2, title="Planning abroad")
    course_es = translate(tree.course, title="Planificar en el exterior", slug="planificar")
    lesson_es = translate(tree.lessons[0], title="Por qué actuar", slug="por-que")
    return tree, course_es, lesson_es


def test_every_page_a_person_reads_carries_the_language():
    assert reverse("learn_dashboard") == "/en/learn/"
    with translation.override("es"):
        assert reverse("learn_dashboard") == "/es/learn/"
        assert reverse("certificate_verify_form") == "/es/certificates/verify/"
        assert reverse("account_login") == "/es/accounts/login/"
        assert reverse("hr_dashboard") == "/es/hr/"
        assert reverse("search") == "/es/search/"
    # Machines and the admin keep their addresses whatever the language.
    with translation.override("es"):
        assert reverse("healthz") == "/healthz"
        assert reverse("wagtailadmin_home") == "/admin/"
        assert reverse("language_switch") == "/i18n/switch/"
        assert reverse("saml_acs", kwargs={"organization_slug": "x"}) == "/accounts/saml/x/acs/"


def test_old_unprefixed_addresses_redirect_to_the_visitors_language(client, spanish_course):
    tree, course_es, _ = spanish_course
    response = client.get("/learn/?tab=1")
    assert response.status_code == 302 and response["Location"] == "/en/learn/?tab=1"
    response = client.get("/learn/", HTTP_ACCEPT_LANGUAGE="es")
    assert response["Location"] == "/es/learn/"
    assert "Accept-Language" in response["Vary"]
    # A page goes to its translation in the visitor's language, found by its English address.
    old = tree.course.url.removeprefix("/en")
    assert client.get(old)["Location"] == tree.course.url
    client.cookies["django_language"] = "es"
    assert client.get(old)["Location"] == course_es.url == "/es/courses/planificar/"
    # An English-only lesson reached by an old link from a Spanish reader: the English lesson.
    old_lesson = tree.lessons[1].url.removeprefix("/en")
    assert client.get(old_lesson)["Location"] == tree.lessons[1].url
    assert client.get("/")["Location"] == "/es/"


def test_addresses_without_a_language_are_not_redirected(client):
    home_page()
    assert client.get("/healthz").status_code == 200
    assert client.get("/admin/")["Location"].startswith("/admin/login/")
    assert client.get("/no/such/thing/").status_code in (302, 404)
    assert client.get("/en/no/such/thing/").status_code == 404


def test_pages_in_spanish_are_served_under_es_with_lang_es(client, spanish_course):
    tree, course_es, _ = spanish_course
    response = client.get(course_es.url)
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="es">' in html and "Planificar en el exterior" in html
    english = client.get(tree.course.url).content.decode()
    assert '<html lang="en">' in english and "Planning abroad" in english
    # The Spanish tree has no English-only lesson at the Spanish address.
    assert client.get(course_es.url + "module-1/lesson-1-2/").status_code == 404


@pytest.mark.parametrize(
    "kind", ["home", "catalogue", "course", "module", "lesson", "quiz", "standard"]
)
def test_switching_language_on_every_page_type_keeps_the_page(client, kind):
    tree = make_course(modules=1, lessons_per_module=1)
    pages = {
        "home": home_page(),
        "catalogue": catalogue_page(),
        "course": tree.course,
        "module": tree.modules[0],
        "lesson": tree.lessons[0],
        "quiz": make_quiz(tree.modules[0], questions=2),
        "standard": StandardPage(title="About", slug="about"),
    }
    if kind == "standard":
        home_page().add_child(instance=pages["standard"])
        pages["standard"].save_revision().publish()
    page = pages[kind]
    spanish = translate(page)
    response = client.post(reverse("language_switch"), {"language": "es", "next": page.url})
    assert response.status_code == 302
    assert response["Location"] == spanish.url and spanish.url.startswith("/es/")
    assert response.cookies["django_language"].value == "es"
    back = client.post(reverse("language_switch"), {"language": "en", "next": spanish.url})
    assert back["Location"] == page.url


def test_switching_to_a_language_the_page_lacks_says_so_and_stays(client):
    tree = make_course(modules=1, lessons_per_module=1)
    translate(catalogue_page())  # Spanish exists around it, this course is not translated
    course = tree.course
    response = client.post(
        reverse("language_switch"), {"language": "es", "next": course.url}, follow=True
    )
    assert response.redirect_chain[-1][0] == course.url
    html = response.content.decode()
    assert '<html lang="en">' in html  # the page is still the English one …
    assert 'class="message message-info" lang="es"' in html  # … and says so, in Spanish


def test_switching_on_other_pages_changes_the_prefix(client):
    home_page()
    response = client.post(reverse("language_switch"), {"language": "es", "next": "/en/learn/"})
    assert response["Location"] == "/es/learn/"
    response = client.post(
        reverse("language_switch"), {"language": "es", "next": "https://evil.example/"}
    )
    assert response["Location"] == "/es/"
    response = client.post(reverse("language_switch"), {"language": "xx", "next": "/en/learn/"})
    assert response["Location"] == "/en/learn/"
    assert client.get(reverse("language_switch")).status_code == 405


def test_search_searches_the_current_language(client, spanish_course):
    tree, course_es, _ = spanish_course
    from wagtail.search.backends import get_search_backend

    backend = get_search_backend()
    for page in (tree.course, course_es):
        backend.add(page)
    english = client.get("/en/search/", {"q": "Planning"}).content.decode()
    spanish = client.get("/es/search/", {"q": "Planificar"}).content.decode()
    assert course_es.url in spanish and tree.course.url not in spanish
    assert tree.course.url in english and course_es.url not in english
    assert course_es.url not in client.get("/en/search/", {"q": "Planificar"}).content.decode()


def test_the_header_links_to_the_catalogue_in_the_language_read(client, spanish_course):
    tree, course_es, _ = spanish_course
    translate(catalogue_page(), slug="cursos")
    course_es.refresh_from_db()
    assert 'href="/es/cursos/"' in client.get(course_es.url).content.decode()
    assert 'href="/en/courses/"' in client.get(tree.course.url).content.decode()


def test_the_catalogue_address_is_cached_until_a_page_changes(client, django_assert_num_queries):
    from courses.selectors.catalogue import catalogue_url

    catalogue = catalogue_page()
    assert catalogue_url() == "/en/courses/"
    with django_assert_num_queries(0):
        assert catalogue_url() == "/en/courses/"
    # Another course is not the catalogue: the address stays cached.
    make_course(modules=1, lessons_per_module=1)
    with django_assert_num_queries(0):
        assert catalogue_url() == "/en/courses/"
    # Renaming the catalogue is a page save: the next read builds the new address.
    catalogue.slug = "catalogue"
    catalogue.save_revision().publish()
    assert catalogue_url() == "/en/catalogue/"
    # Unpublished, the header and My learning fall back to the home page.
    catalogue.unpublish()
    assert catalogue_url() == "/"


def test_a_translated_quiz_keeps_the_source_key_points_and_pass_mark_in_sync():
    from wagtail.models import Locale

    from cms.demo.translations import translate_page

    tree = make_course(modules=1, lessons_per_module=1)
    question = quiz_question(0)  # single choice
    question["value"]["outcome"] = ""
    quiz = make_quiz(tree.modules[0], question_data=[question], pass_mark=80)
    locale, _ = Locale.objects.get_or_create(language_code="es")
    translate(tree.modules[0])  # the parents exist in Spanish
    question = quiz.questions.raw_data[0]
    spanish_question = {"type": question["type"], "value": {**question["value"]}}
    spanish_question["value"]["text"] = "¿Pregunta en español?"
    spanish, unmatched = translate_page(
        quiz,
        {"title": "Cuestionario", "slug": "cuestionario", "questions": [spanish_question]},
        locale,
    )
    assert unmatched == []
    assert spanish.title == "Cuestionario" and spanish.pass_mark == 80
    assert spanish.questions.raw_data[0]["value"]["text"] == "¿Pregunta en español?"
    # The trainer changes the key, the points and the pass mark in English: a sync carries them.
    raw = json.loads(json.dumps(list(quiz.questions.raw_data)))
    value = raw[0]["value"]
    value["points"] = 5
    for choice in value["choices"]:
        item = choice.get("value", choice)  # list items with or without their block id
        item["correct"] = not item["correct"]
    quiz = QuizPage.objects.get(pk=quiz.pk)
    quiz.questions = QuizPage._meta.get_field("questions").to_python(json.dumps(raw))
    quiz.pass_mark = 60
    quiz.save_revision().publish()
    spanish, _ = translate_page(
        quiz,
        {"title": "Cuestionario", "slug": "cuestionario", "questions": [spanish_question]},
        locale,
    )
    synced = spanish.questions.raw_data[0]["value"]
    assert spanish.pass_mark == 60 and synced["points"] == 5
    assert [c.get("value", c)["correct"] for c in synced["choices"]] == [
        c.get("value", c)["correct"] for c in value["choices"]
    ]
    assert synced["text"] == "¿Pregunta en español?"
