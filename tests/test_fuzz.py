"""Fuzz every form and filter with Hypothesis: whatever arrives, the answer is below 500.

Each test draws the role (anonymous, learner, HR officer, administrator) and the values: text
with control characters and NUL, every script, ids beyond 64 bits, negative and malformed
numbers, dates, markup. The Django test client re-raises a view's exception, so a crash fails
the test with its traceback; streamed exports are read to the end (a stream that breaks off
is a failure too). CI runs the suite on SQLite and again on PostgreSQL (DATABASE_URL), so
each database's own refusals (SQLite's integer overflow, PostgreSQL's NUL) are covered.

Runtime is bounded: FUZZ_EXAMPLES examples per test (default 12), derandomised so that CI
is repeatable; FUZZ_EXAMPLES=200 FUZZ_RANDOM=1 explores further on a workstation.
"""

from __future__ import annotations

import os
from datetime import timedelta
from urllib.parse import quote

import pytest
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from learners.attempts.services import attempt_start
from learners.certificates.models import Certificate
from learners.progress.services import enrolment_create
from tests.factories import (
    DepartmentFactory,
    HROfficerRoleFactory,
    OrganisationFactory,
    UserFactory,
    complete_course,
    make_course,
    make_quiz,
    quiz_question,
)

pytestmark = [pytest.mark.django_db, pytest.mark.fuzz]

FUZZ = settings(
    max_examples=int(os.environ.get("FUZZ_EXAMPLES", "12")),
    deadline=None,
    derandomize=not os.environ.get("FUZZ_RANDOM"),
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

HUGE = "99999999999999999999"

# Any character a client can send as UTF-8 (surrogates cannot be encoded), NUL and the other
# controls included, with a bias towards the ones that break databases and spreadsheets.
_chars = st.characters(exclude_categories=["Cs"])
text = st.one_of(
    st.text(_chars, max_size=40),
    st.sampled_from(
        [
            "",
            " ",
            "0",
            "-1",
            HUGE,
            str(2**63),
            "1e9",
            "1.5",
            "٣",
            "\x00",
            "GDPR\x00",
            "a\x01b",
            "\t=1+1",
            "=cmd|' /C calc'!A0",
            "<script>alert(1)</script>",
            "../../etc/passwd",
            "%00",
            "Łódź 北京 서울 محمد אבי योजना",
            "x" * 300,
            "2026-02-30",
            "9999-12-31",
        ]
    ),
)
# What goes into a path segment: numbers of every size, and anything else, URL-quoted.
path_id = st.one_of(
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.text(_chars, min_size=1, max_size=25).map(lambda value: quote(value, safe="")),
)


def _form(keys, values):
    return st.fixed_dictionaries(dict.fromkeys(keys, values))


@pytest.fixture
def world(db):
    """One of each: a course with a lesson and a quiz, a certificate, an HR officer."""
    org = OrganisationFactory(name="Port Esmer")
    department = DepartmentFactory(organisation=org, name="Planning")
    learner = UserFactory(organisation=org, department=department, full_name="Lea Learner")
    officer = HROfficerRoleFactory(organisation=org, user=UserFactory(organisation=org)).user
    admin = UserFactory(is_superuser=True, is_staff=True)
    tree = make_course(modules=1, lessons_per_module=2)
    questions = [quiz_question(i) for i in range(5)]
    quiz = make_quiz(tree.modules[0], question_data=questions, attempts_allowed=0)
    done = make_course(modules=1, lessons_per_module=1)
    enrolment = complete_course(learner, done)
    enrolment_create(user=learner, course=tree.course)
    return {
        "roles": {"anonymous": None, "learner": learner, "hr": officer, "admin": admin},
        "learner": learner,
        "department": department,
        "org": org,
        "tree": tree,
        "quiz": quiz,
        "certificate": Certificate.objects.filter(enrolment=enrolment).first(),
    }


def _as(client, world, role):
    client.logout()
    user = world["roles"][role]
    if user is not None:
        client.force_login(user)
    return user


def _check(response):
    if getattr(response, "streaming", False):
        b"".join(response.streaming_content)  # an export that breaks off mid-stream fails here
    assert response.status_code < 500, response.status_code
    return response


roles = st.sampled_from(["anonymous", "learner", "hr", "admin"])
signed_in = st.sampled_from(["learner", "hr", "admin"])


# --- Learner actions --------------------------------------------------------------------------
@FUZZ
@given(role=roles, raw_id=path_id, next_=text, which=st.sampled_from(["enrol", "retake"]))
def test_enrol_and_retake(client, world, role, raw_id, next_, which):
    _as(client, world, role)
    real = str(world["tree"].course.pk)
    for course_id in (raw_id, real):
        _check(client.post(f"/en/learn/courses/{course_id}/{which}/", {"next": next_}))


@FUZZ
@given(role=roles, raw_id=path_id, next_=text)
def test_complete_lesson(client, world, role, raw_id, next_):
    _as(client, world, role)
    for lesson_id in (raw_id, str(world["tree"].lessons[0].pk)):
        _check(client.post(f"/en/learn/lessons/{lesson_id}/complete/", {"next": next_}))


@FUZZ
@given(role=roles, raw_id=path_id)
def test_quiz_start(client, world, role, raw_id):
    _as(client, world, role)
    for quiz_id in (raw_id, str(world["quiz"].pk)):
        _check(client.post(f"/en/learn/quizzes/{quiz_id}/start/"))


@FUZZ
@given(
    action=st.sampled_from(["save", "submit", "", "delete"]),
    answers=st.lists(text, max_size=8),
    extra=st.dictionaries(text, text, max_size=3),
    same_attempt=st.booleans(),
)
def test_quiz_save_and_submit(client, world, action, answers, extra, same_attempt):
    learner = _as(client, world, "learner")
    attempt = attempt_start(user=learner, quiz=world["quiz"])
    names = []
    for question in attempt.snapshot:
        name = f"q-{question['id']}"
        if question["type"] == "matching":
            names += [f"{name}-{pair['id']}" for pair in question["pairs"]]
        else:
            names.append(name)
    data = {name: answers[i % len(answers)] for i, name in enumerate(names) if answers}
    data.update({key: value for key, value in extra.items() if key})
    data["action"] = action
    data["attempt"] = str(attempt.public_id) if same_attempt else answers[:1] or ""
    url = reverse("learn_attempt", args=[attempt.public_id])
    _check(client.post(url, data))
    _check(client.get(url))
    _check(client.get(reverse("learn_attempt_result", args=[attempt.public_id])))


@FUZZ
@given(role=roles, code=text, segment=path_id)
def test_verify(client, world, role, code, segment):
    _as(client, world, role)
    _check(client.get(reverse("certificate_verify_form"), {"code": code}))
    _check(client.get(f"/en/certificates/verify/{segment}/"))
    _check(client.get(f"/en/learn/certificates/{segment}/pdf"))
    _check(client.post(f"/en/learn/certificates/{segment}/public-details", {"next": code}))


# --- Accounts ---------------------------------------------------------------------------------
@FUZZ
@given(
    form=_form(["full_name", "organisation", "department", "job_title", "government_level"], text)
)
def test_profile(client, world, form):
    _as(client, world, "learner")
    _check(client.post(reverse("profile_edit"), form))


@FUZZ
@given(
    form=_form(
        [
            "email",
            "password1",
            "password2",
            "full_name",
            "organisation",
            "department",
            "job_title",
            "government_level",
        ],
        text,
    ),
    real_organisation=st.booleans(),
)
def test_signup(client, world, form, real_organisation):
    if real_organisation:
        form["organisation"] = str(world["org"].pk)
        form["department"] = str(world["department"].pk)
    _check(client.post(reverse("account_signup"), form))


@FUZZ
@given(form=_form(["login", "password", "remember", "next"], text))
def test_login(client, world, form):
    _check(client.post(reverse("account_login"), form))


@FUZZ
@given(q=text, page=text, topic=text, level=text, language=text)
def test_search_and_catalogue_filters(client, world, q, page, topic, level, language):
    _check(client.get(reverse("search"), {"q": q, "page": page}))
    _check(client.get("/en/courses/", {"topic": topic, "level": level, "language": language}))


# --- HR ---------------------------------------------------------------------------------------
HR_FILTERS = ["q", "organisation", "department", "course", "status", "assignment", "sort", "page"]


@FUZZ
@given(role=roles, filters=_form(HR_FILTERS, text), export=st.sampled_from(["", "csv", "xlsx"]))
def test_hr_dashboard_and_exports(client, world, role, filters, export):
    _as(client, world, role)
    name = {"": "hr_dashboard", "csv": "hr_export_csv", "xlsx": "hr_export_xlsx"}[export]
    _check(client.get(reverse(name), filters))


@FUZZ
@given(
    role=signed_in,
    form=_form(["course", "organisation", "target", "department", "learners", "due_on"], text),
    recurrence=text,
    real=st.booleans(),
)
def test_assignment_form(client, world, role, form, recurrence, real):
    _as(client, world, role)
    form["recurrence_months"] = recurrence
    if real:
        # Valid choices for the selects, fuzz in the rest: the service itself gets exercised.
        form.update(
            course=str(world["tree"].course.pk),
            organisation=str(world["org"].pk),
            department=str(world["department"].pk),
            due_on=(timezone.localdate() + timedelta(days=30)).isoformat(),
        )
    _check(client.get(reverse("hr_assignment_new")))
    _check(client.post(reverse("hr_assignment_new"), form))
    _check(client.get(reverse("hr_assignments")))


@FUZZ
@given(role=signed_in, raw_id=path_id, department=text)
def test_learner_detail_and_department_move(client, world, role, raw_id, department):
    _as(client, world, role)
    for user_id in (raw_id, str(world["learner"].pk)):
        _check(client.get(f"/en/hr/learners/{user_id}/"))
        _check(client.post(f"/en/hr/learners/{user_id}/department/", {"department": department}))


# --- Admin views of learners ------------------------------------------------------------------
@FUZZ
@given(raw_id=path_id, q=text, page=text)
def test_admin_certificates_and_quiz_reports(client, world, raw_id, q, page):
    _as(client, world, "admin")
    _check(client.get(reverse("certificate_admin_index"), {"q": q, "p": page}))
    _check(client.get(f"/admin/certificates/{raw_id}/"))
    _check(client.get(f"/admin/quiz-reports/{raw_id}/"))
    _check(client.get(f"/admin/quiz-reports/{raw_id}/csv/"))
    certificate = world["certificate"]
    _check(
        client.post(
            reverse("certificate_admin_detail", args=[certificate.pk]),
            {"action": q, "revoke-reason": page, "revoke-note": q, "reissue-note": page},
        )
    )
