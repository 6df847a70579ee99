"""No input reaches a 500: impossible ids are 404s, characters no database stores are 400s.

These run on both legs of CI (SQLite, then PostgreSQL through DATABASE_URL): SQLite overflows
on 20-digit ids, PostgreSQL refuses NUL in text; the answers must be the same on both."""

import csv
import io

import pytest
from django.urls import Resolver404, resolve, reverse

from cms.middleware import has_invalid_characters
from learners.attempts.services import attempt_start
from learners.common.ids import MAX_ID, parse_id
from learners.models import AttemptStatus, QuizAttempt
from learners.progress.services import enrolment_create
from tests.factories import HROfficerRoleFactory, OrganisationFactory, UserFactory, make_quiz

pytestmark = pytest.mark.django_db

HUGE = "99999999999999999999"
REFUSAL = "cannot be stored"


# --- Ids from the path ----------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("1", 1),
        ("0042", 42),
        (str(MAX_ID), MAX_ID),
        (str(MAX_ID + 1), None),
        (HUGE, None),
        ("0", None),
        ("-3", None),
        ("1e3", None),
        ("٣", None),  # an Arabic-Indic digit: str.isdigit() says yes, an id says no
        ("", None),
        (None, None),
    ],
)
def test_parse_id_bounds(raw, expected):
    assert parse_id(raw) == expected


@pytest.mark.parametrize(
    ("path", "name"),
    [
        ("/en/learn/courses/{}/enrol/", "learn_enrol"),
        ("/en/learn/lessons/{}/complete/", "learn_complete_lesson"),
        ("/en/learn/quizzes/{}/start/", "learn_quiz_start"),
        ("/en/learn/courses/{}/retake/", "learn_retake"),
        ("/en/hr/learners/{}/", "hr_learner"),
        ("/en/hr/learners/{}/department/", "hr_learner_department"),
        ("/admin/quiz-reports/{}/", "quiz_report"),
        ("/admin/quiz-reports/{}/csv/", "quiz_report_csv"),
        ("/admin/certificates/{}/", "certificate_admin_detail"),
    ],
)
def test_id_converter_refuses_what_64_bits_cannot_hold(path, name):
    match = resolve(path.format(MAX_ID))  # the largest id still matches, as an int
    assert match.url_name == name and MAX_ID in match.kwargs.values()
    # One more is no id: the pattern does not match (what is left is Wagtail's page 404).
    assert _url_name(path.format(MAX_ID + 1)) != name
    assert _url_name(path.format("-1")) != name


def _url_name(path):
    try:
        return resolve(path).url_name
    except Resolver404:
        return None


@pytest.mark.parametrize(
    "path",
    [
        f"/en/learn/courses/{HUGE}/enrol/",
        f"/en/learn/lessons/{HUGE}/complete/",
        f"/en/learn/quizzes/{HUGE}/start/",
        f"/en/learn/courses/{HUGE}/retake/",
    ],
)
def test_learner_posts_with_overlong_ids_are_404(learner_client, path):
    assert learner_client.post(path).status_code == 404


def test_hr_and_admin_paths_with_overlong_ids_are_404(client):
    admin = UserFactory(is_superuser=True, is_staff=True)
    client.force_login(admin)
    for path in (
        f"/en/hr/learners/{HUGE}/",
        f"/admin/quiz-reports/{HUGE}/",
        f"/admin/certificates/{HUGE}/",
        # Wagtail's own admin URLs take <int:…> ids; the middleware guards them too.
        f"/admin/pages/{HUGE}/edit/",
        f"/admin/pages/{MAX_ID + 1}/",
    ):
        assert client.get(path).status_code == 404, path


# --- Characters no database stores --------------------------------------------------------------
@pytest.mark.parametrize(
    "path",
    [
        "/en/search/?q=%00",
        "/en/search/?q=a%01b",
        "/en/courses/?topic=%00",
        "/en/certificates/verify/?code=%00",
    ],
)
def test_nul_and_controls_in_query_string_are_400_with_reason(client, path):
    response = client.get(path)
    assert response.status_code == 400
    assert REFUSAL in response.content.decode()


def test_nul_in_query_key_and_path_are_400(client):
    assert client.get("/en/search/?q%00=x").status_code == 400
    assert client.get("/en/courses/a\x00b/").status_code == 400


def test_invalid_characters_are_named():
    for bad in ("a\x00", "\x1b[0m", "\ud800", "x\udfff", "\ufffe", "\x0b"):
        assert has_invalid_characters(bad), repr(bad)
    for good in ("Łódź\tΑθήνα\r\n", "北京 서울 東京", "محمد", "אבי", "योजना", "👩‍💼"):
        assert not has_invalid_characters(good)


@pytest.mark.parametrize("raw", ["q=%ED%A0%80", "q=%FF%FE", "q=%C0%80"])
def test_surrogates_and_broken_utf8_from_the_wire_do_not_500(client, raw):
    # A lone surrogate cannot be sent as UTF-8; its CESU bytes (and other broken sequences)
    # are decoded by Django as U+FFFD, which is stored like any other character.
    assert client.get("/en/search/", QUERY_STRING=raw).status_code == 200
    response = client.post(
        reverse("account_login"),
        data=f"login={raw[2:]}&password=x".encode(),
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code in (200, 400)


def test_tab_newline_and_every_script_pass(client):
    response = client.get("/en/search/", {"q": "plan\tning\r\n 国际 خطة योजना"})
    assert response.status_code == 200


def test_short_text_answer_with_nul_is_refused_and_nothing_saved(learner_client, learner):
    from tests.factories import make_course, quiz_question

    tree = make_course(modules=1, lessons_per_module=1)
    quiz = make_quiz(tree.modules[0], question_data=[quiz_question(0, "short_text")])
    enrolment_create(user=learner, course=tree.course)
    attempt = attempt_start(user=learner, quiz=quiz)
    question = attempt.snapshot[0]
    response = learner_client.post(
        reverse("learn_attempt", args=[attempt.public_id]),
        {"attempt": str(attempt.public_id), "action": "save", f"q-{question['id']}": "GDPR\x00"},
    )
    assert response.status_code == 400
    assert REFUSAL in response.content.decode()
    attempt.refresh_from_db()
    assert attempt.status == AttemptStatus.OPEN
    assert "GDPR" not in str(QuizAttempt.objects.get(pk=attempt.pk).answers)


def test_profile_name_with_nul_is_refused(learner_client, learner):
    response = learner_client.post(reverse("profile_edit"), {"full_name": "Lea\x00"})
    assert response.status_code == 400
    learner.refresh_from_db()
    assert "\x00" not in learner.full_name


# --- HR filters ---------------------------------------------------------------------------------
@pytest.fixture
def hr_client(client):
    org = OrganisationFactory(name="Port Esmer")
    officer = HROfficerRoleFactory(organisation=org, user=UserFactory(organisation=org)).user
    client.force_login(officer)
    return client


@pytest.mark.parametrize(
    ("query", "label"),
    [
        ({"course": HUGE}, "course"),
        ({"course": "abc"}, "course"),
        ({"organisation": "-1"}, "organisation"),
        ({"department": "1.5"}, "department"),
        ({"assignment": HUGE}, "assignment"),
        ({"status": "sleeping"}, "status"),
        ({"sort": "salary"}, "sort order"),
    ],
)
def test_dashboard_with_a_filter_that_does_not_parse_shows_the_page_and_says_so(
    hr_client, query, label
):
    response = hr_client.get(reverse("hr_dashboard"), query)
    assert response.status_code == 200
    body = response.content.decode()
    assert "not understood" in body and label in body


def test_dashboard_q_with_nul_is_400(hr_client):
    response = hr_client.get("/en/hr/?q=%00")
    assert response.status_code == 400
    assert REFUSAL in response.content.decode()


@pytest.mark.parametrize("name", ["hr_export_csv", "hr_export_xlsx"])
@pytest.mark.parametrize("query", [{"course": HUGE}, {"status": "x"}, {"organisation": "x"}])
def test_export_with_invalid_filter_is_400_not_an_empty_file(hr_client, name, query):
    response = hr_client.get(reverse(name), query)
    assert response.status_code == 400
    assert "No export was made" in response.content.decode()
    assert not response.has_header("Content-Disposition")


@pytest.mark.parametrize("name", ["hr_export_csv", "hr_export_xlsx"])
def test_export_with_nul_is_400(hr_client, name):
    assert hr_client.get(reverse(name) + "?q=%00").status_code == 400


def test_valid_export_still_streams(hr_client):
    response = hr_client.get(reverse("hr_export_csv"), {"sort": "email"})
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert rows[0][0] == "Name"


def test_search_box_shows_the_search_not_the_hr_filters(hr_client):
    """base.html's site search shows `query`; /hr/ used the same name for its filter dict."""
    body = hr_client.get(reverse("hr_dashboard"), {"q": "ana"}).content.decode()
    assert "{&#x27;q&#x27;" not in body and "{'q'" not in body
    assert 'id="site-search" type="search" name="q" value=""' in body
    assert 'id="f-q" type="search" name="q" value="ana"' in body


def test_export_links_encode_the_filters(hr_client):
    body = hr_client.get(reverse("hr_dashboard"), {"q": "a&b=c d"}).content.decode()
    assert "export.csv?q=a%26b%3Dc+d" in body
