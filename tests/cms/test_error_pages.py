"""Unknown addresses get the site's 404 page, never a 500; the 500 handler renders 500.html."""

import pytest
from django.test import RequestFactory

from cms import views
from tests.factories import home_page, make_course

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "url",
    [
        "/no-such-page/",
        "/en/courses/no-such-course/",
        "/en/courses/course-1/no-such-module/lesson/",
        "/en/learn/does-not-exist/",
        "/en/accounts/does-not-exist/",
        "/documents/999999/missing.pdf",
        "/%F0%9F%90%8D/",
        "/" + "a" * 3000 + "/",
        "/static/missing.css",
    ],
)
def test_unknown_urls_give_the_404_page(client, url):
    home_page()
    make_course()
    # An unprefixed address is first sent to the visitor's language (/en/…), then answered 404.
    response = client.get(url, follow=True)
    assert response.status_code == 404
    html = response.content.decode()
    assert "We cannot find that page" in html
    assert 'class="skip-link"' in html and '<main id="main"' in html


def test_unpublished_page_is_a_404(client):
    tree = make_course()
    tree.course.unpublish()
    response = client.get(tree.course.url_path.replace("/home", "", 1), follow=True)
    assert response.status_code == 404


def test_handler500_renders_the_500_template():
    request = RequestFactory().get("/")
    response = views.server_error(request)
    assert response.status_code == 500
    html = response.content.decode()
    # Standalone on purpose (no queries, no base layout that might itself fail), yet accessible.
    assert "Something went wrong on our side" in html
    assert '<html lang="en">' in html and '<main id="main"' in html


def test_urlconf_wires_the_handlers():
    from cms import urls

    assert urls.handler404 == "cms.views.page_not_found"
    assert urls.handler500 == "cms.views.server_error"


def test_unhandled_exception_renders_500_page(client, monkeypatch):
    home_page()
    client.raise_request_exception = False

    def boom(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr("cms.views.search_content", boom)
    response = client.get("/en/search/", {"q": "anything"})
    assert response.status_code == 500
    assert "Something went wrong on our side" in response.content.decode()
