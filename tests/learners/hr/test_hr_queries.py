"""The dashboard and the first table page cost the same queries at two scales."""

import io
from collections import Counter
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.models import Max
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from courses.models import QuizPage
from courses.scoring import score_attempt
from learners.attempts.services import attempt_start, attempt_submit
from learners.models import (
    AssignedLearner,
    Assignment,
    AssignmentTarget,
    AttemptStatus,
    Certificate,
    Enrolment,
    QuizAttempt,
    User,
)
from tests.factories import (
    DepartmentFactory,
    UserFactory,
    correct_form,
    make_certificate,
    make_course,
    make_quiz,
    wrong_form,
)

pytestmark = pytest.mark.django_db


def _populate(org, courses, learners: int, tag: str):
    depts = [DepartmentFactory(organisation=org, name=f"{tag} dept {i}") for i in range(3)]
    today = timezone.localdate()
    for i in range(learners):
        user = UserFactory(organisation=org, department=depts[i % 3], full_name=f"{tag} {i}")
        for j, course in enumerate(courses):
            done = (i + j) % 2 == 0
            enrolment = Enrolment.objects.create(
                user=user,
                course=course,
                course_title=course.title,
                last_activity_at=timezone.now(),
                completed_at=timezone.now() if done else None,
            )
            if done:
                make_certificate(enrolment, expires_on=today + timedelta(days=10 * i))
    for dept in depts:
        assignment = Assignment.objects.create(
            course=courses[0],
            course_title=courses[0].title,
            organisation=org,
            target=AssignmentTarget.DEPARTMENT,
            department=dept,
            due_on=today - timedelta(days=3),
        )
        AssignedLearner.objects.bulk_create(
            AssignedLearner(assignment=assignment, user=u, due_on=assignment.due_on)
            for u in User.objects.filter(department=dept)
        )


def _count(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_dashboard_queries_do_not_grow(client, orgs, officer_metro, django_assert_max_num_queries):
    courses = [make_course(modules=1, lessons_per_module=1).course for _ in range(2)]
    _populate(orgs["a"], courses, 3, "small")
    client.force_login(officer_metro)
    client.get("/en/hr/")  # warm caches that are not per request (content types, site)
    small = {url: _count(client, url) for url in ["/en/hr/", "/en/hr/?status=overdue&sort=due"]}
    _populate(orgs["b"], courses, 30, "large")
    large = {url: _count(client, url) for url in small}
    assert small == large
    # Session, user, scope (2), four figure queries (the day tallies: people, certified,
    # expiring, issued per month; active in the last 30 days; the course tallies: assigned,
    # completed, both charts and the table's row count; overdue), two names lookups, filter
    # choices (4), the pending membership requests in the navigation, the first page.
    # PostgreSQL adds SET LOCAL jit = off, inside a savepoint here (a transaction in a request).
    jit = 3 if connection.vendor == "postgresql" else 0
    with django_assert_max_num_queries(16 + jit):
        client.get("/en/hr/")
    with django_assert_max_num_queries(17 + jit):  # a status filter needs the table's own COUNT
        client.get("/en/hr/?status=overdue&sort=due")


def test_exports_page_queries_do_not_grow(client, officer_metro):
    from learners.hr.models import ExportJob

    client.force_login(officer_metro)
    ExportJob.objects.create(requester=officer_metro, format="csv")
    client.get("/en/hr/exports/")
    small = _count(client, "/en/hr/exports/"), _count(client, "/en/hr/exports/status/")
    for _i in range(10):
        ExportJob.objects.create(requester=officer_metro, format="xlsx", status="done")
    assert (_count(client, "/en/hr/exports/"), _count(client, "/en/hr/exports/status/")) == small


def test_learner_detail_queries_do_not_grow(client, orgs, officer_a):
    courses = [make_course(modules=1, lessons_per_module=1).course for _ in range(3)]
    person = UserFactory(organisation=orgs["a"])
    Enrolment.objects.create(user=person, course=courses[0], course_title="x")
    client.force_login(officer_a)
    client.get(f"/en/hr/learners/{person.pk}/")
    small = _count(client, f"/en/hr/learners/{person.pk}/")
    for course in courses[1:]:
        enrolment = Enrolment.objects.create(
            user=person, course=course, course_title="y", completed_at=timezone.now()
        )
        make_certificate(enrolment)
        # Quiz attempts (two quizzes, two tries each) must not add queries either.
        for _q in range(2):
            quiz = make_quiz(course, questions=2, pass_mark=50)
            for form in (wrong_form, correct_form):
                attempt = attempt_start(user=person, quiz=quiz)
                attempt_submit(user=person, attempt=attempt, data=form(attempt.snapshot))
    html = client.get(f"/en/hr/learners/{person.pk}/").content.decode()
    assert "Quiz best scores" in html and "100.0\u00a0%" in html  # the one localised score format
    assert _count(client, f"/en/hr/learners/{person.pk}/") == small


def test_generate_load_data_small(settings):
    out = io.StringIO()
    call_command("generate_load_data", "--learners", "40", "--courses", "2", stdout=out)
    assert User.objects.filter(email__endswith="@load.load.example").count() == 41
    assert Enrolment.objects.count() == 80
    assert "Generated 40 learners" in out.getvalue()
    # Every course has a required final assessment; attempts are submitted, scored by the
    # quiz rules from their own snapshot and answers, and certificates need a pass.
    finals = {q.get_parent().pk: q for q in QuizPage.objects.all()}
    assert len(finals) == 2 and all(q.required_for_completion for q in finals.values())
    attempts = list(QuizAttempt.objects.select_related("enrolment"))
    assert attempts
    for attempt in attempts:
        assert attempt.status == AttemptStatus.SUBMITTED
        assert attempt.quiz_id == finals[attempt.enrolment.course_id].pk
        result = score_attempt(attempt.snapshot, attempt.answers)
        assert (attempt.score, attempt.max_score, attempt.percent) == (
            result.score,
            result.max_score,
            result.percent,
        )
        assert attempt.results == result.results
        assert attempt.passed == result.passed(attempt.pass_mark)
        assert attempt.submitted_at > attempt.started_at
    per_enrolment = Counter(a.enrolment_id for a in attempts)
    assert set(per_enrolment.values()) <= {1, 2}
    assert {a.passed for a in attempts} == {True, False}
    certificates = list(Certificate.objects.all())
    assert certificates
    for certificate in certificates:
        best = QuizAttempt.objects.filter(enrolment=certificate.enrolment, passed=True).aggregate(
            best=Max("percent")
        )["best"]
        assert best is not None and certificate.final_score == best
    # Completed enrolments are exactly those with a passed attempt.
    passed_enrolments = {a.enrolment_id for a in attempts if a.passed}
    completed = set(
        Enrolment.objects.filter(completed_at__isnull=False).values_list("pk", flat=True)
    )
    assert completed == passed_enrolments
    with pytest.raises(Exception, match="exists already"):
        call_command("generate_load_data", "--learners", "5", stdout=out)


def test_generate_load_data_refuses_production(settings):
    from django.core.management.base import CommandError

    settings.SETTINGS_MODULE = "cms.settings.production"
    with pytest.raises(CommandError, match="production"):
        call_command("generate_load_data", "--learners", "5")
