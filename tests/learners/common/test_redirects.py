import pytest

from learners.common.redirects import safe_next_url


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ("/en/learn/transcript/", "/en/learn/transcript/"),
        ("/en/courses/planning/?page=2#top", "/en/courses/planning/?page=2#top"),
        ("/en/courses/ciudad-méxico/", "/en/courses/ciudad-méxico/"),
        ("0", "/fallback/"),  # redirect("0") would look for a URL pattern named "0"
        ("home", "/fallback/"),
        ("//evil.example/", "/fallback/"),
        ("/\\evil.example/", "/fallback/"),
        ("https://evil.example/", "/fallback/"),
        ("http://testserver/learn/", "/fallback/"),  # a path is enough; no hosts at all
        ("/a\nLocation: x", "/fallback/"),
        ("/a b", "/fallback/"),
        ("", "/fallback/"),
        (None, "/fallback/"),
    ],
)
def test_safe_next_url(rf, target, expected):
    assert safe_next_url(rf.post("/x"), target, "/fallback/") == expected


@pytest.mark.django_db
def test_enrol_with_a_bare_word_next_redirects_to_the_course(learner_client, course_tree):
    response = learner_client.post(
        f"/en/learn/courses/{course_tree.course.pk}/enrol/", {"next": "0"}
    )
    assert response.status_code == 302 and response.url == course_tree.course.url
