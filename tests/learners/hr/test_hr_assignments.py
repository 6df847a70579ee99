"""Assignments: who is covered, enrolment, e-mail, later joiners, recurrence, SQL status."""

from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from learners.accounts.services import organisation_join_by_email_domain
from learners.hr.rules import CourseStatus, learner_course_status
from learners.hr.selectors import annotate_status
from learners.hr.services import AssignmentInvalid, assignment_create, assignment_recurrences_reopen
from learners.models import (
    AssignedLearner,
    AssignmentTarget,
    Enrolment,
    EnrolmentSource,
)
from learners.progress.services import lesson_complete
from tests.factories import DepartmentFactory, UserFactory, make_certificate

pytestmark = pytest.mark.django_db


def _assign(officer, course, org, **kw):
    kw.setdefault("due_on", timezone.localdate() + timedelta(days=30))
    kw.setdefault("target", AssignmentTarget.ORGANISATION)
    return assignment_create(created_by=officer, course=course, organisation=org, **kw)


def test_department_assignment_enrols_emails_and_includes_later_joiners(
    officer_a, orgs, depts, people, course_tree, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        assignment = _assign(
            officer_a,
            course_tree.course,
            orgs["a"],
            target=AssignmentTarget.DEPARTMENT,
            department=depts["a"],
        )
    enrolment = Enrolment.objects.get(user=people["a"], course=course_tree.course)
    assert enrolment.source == EnrolmentSource.ASSIGNED
    assert [m.to for m in mail.outbox] == [[people["a"].email]]
    # Someone joins the department later: covered, enrolled and told.
    with django_capture_on_commit_callbacks(execute=True):
        joiner = UserFactory(organisation=orgs["a"], department=depts["a"])
    assert AssignedLearner.objects.filter(assignment=assignment, user=joiner).exists()
    assert Enrolment.objects.filter(user=joiner, course=course_tree.course).exists()
    assert mail.outbox[-1].to == [joiner.email]
    # Someone moves into the department from elsewhere in the organisation.
    mover = UserFactory(organisation=orgs["a"])
    assert not AssignedLearner.objects.filter(user=mover).exists()
    mover.department = depts["a"]
    mover.save(update_fields=["department"])
    assert AssignedLearner.objects.filter(assignment=assignment, user=mover).exists()
    # A later joiner is never given a due date in the past.
    row = AssignedLearner.objects.get(assignment=assignment, user=joiner)
    assert row.due_on >= timezone.localdate()


def test_organisation_assignment_covers_members_and_is_idempotent_for_enrolment(
    officer_a, orgs, people, course_tree
):
    other = UserFactory(organisation=orgs["a"])
    _assign(officer_a, course_tree.course, orgs["a"])
    _assign(officer_a, course_tree.course, orgs["a"])  # a second assignment of the same course
    assert Enrolment.objects.filter(course=course_tree.course).count() == 3  # officer, a, other
    assert set(
        Enrolment.objects.filter(course=course_tree.course).values_list("user_id", flat=True)
    ) == {officer_a.pk, people["a"].pk, other.pk}


def test_individual_assignment_refuses_people_outside_scope(officer_a, orgs, people, course_tree):
    with pytest.raises(AssignmentInvalid):
        _assign(
            officer_a,
            course_tree.course,
            orgs["a"],
            target=AssignmentTarget.INDIVIDUALS,
            learners=[people["b"]],
        )
    with pytest.raises(AssignmentInvalid):
        _assign(officer_a, course_tree.course, orgs["b"])
    assert not Enrolment.objects.exists()


def test_assignment_form_creates_and_validates(
    client, officer_metro, orgs, depts, people, course_tree
):
    client.force_login(officer_metro)
    due = (timezone.localdate() + timedelta(days=20)).isoformat()
    base = {"course": course_tree.course.pk, "organisation": orgs["a"].pk, "due_on": due}
    # Department of another organisation: error, nothing created.
    response = client.post(
        "/en/hr/assignments/new/", {**base, "target": "department", "department": depts["b"].pk}
    )
    assert response.status_code == 200 and not AssignedLearner.objects.exists()
    # Out-of-scope e-mail reads as unknown.
    response = client.post(
        "/en/hr/assignments/new/",
        {**base, "target": "individuals", "learners": people["c"].email},
    )
    assert response.status_code == 200 and b"No one in your organisations" in response.content
    # Past due date.
    response = client.post(
        "/en/hr/assignments/new/",
        {**base, "target": "organisation", "due_on": "2000-01-01"},
    )
    assert response.status_code == 200 and not AssignedLearner.objects.exists()
    response = client.post(
        "/en/hr/assignments/new/",
        {
            **base,
            "target": "individuals",
            "learners": f"{people['a'].email}\n{people['b'].email}",
            "recurrence_months": "12",
        },
    )
    assert response.status_code == 302
    assert set(AssignedLearner.objects.values_list("user_id", flat=True)) == {
        people["a"].pk,
        people["b"].pk,
    }
    assert client.get("/en/hr/assignments/").status_code == 200


def test_learner_sees_due_date_on_learn(client, officer_a, orgs, people, course_tree):
    due = timezone.localdate() + timedelta(days=9)
    _assign(officer_a, course_tree.course, orgs["a"], due_on=due)
    client.force_login(people["a"])
    html = client.get("/en/learn/").content.decode()
    assert "Assigned · due" in html


def _complete(user, tree):
    enrolment = Enrolment.objects.get(user=user, course=tree.course, archived_at__isnull=True)
    for lesson in tree.lessons:
        lesson_complete(user=user, enrolment=enrolment, lesson=lesson)
    enrolment.refresh_from_db()
    return enrolment


def test_recurring_assignment_reopens_after_expiry(officer_a, orgs, people, course_tree):
    with time_machine.travel(datetime(2026, 1, 10, 9, tzinfo=UTC), tick=False):
        _assign(
            officer_a,
            course_tree.course,
            orgs["a"],
            due_on=date(2026, 2, 1),
            recurrence_months=12,
        )
        enrolment = _complete(people["a"], course_tree)
        assert enrolment.completed_at is not None
    # Well inside the validity: nothing reopens.
    assert assignment_recurrences_reopen(today=date(2026, 9, 1)) == 0
    # After expiry (10 Jan 2027): a new cycle is open and overdue.
    with time_machine.travel(datetime(2027, 2, 1, 9, tzinfo=UTC), tick=False):
        assert assignment_recurrences_reopen(today=date(2027, 2, 1)) >= 1
        current = Enrolment.objects.get(
            user=people["a"], course=course_tree.course, archived_at__isnull=True
        )
        assert current.cycle == 2 and current.completed_at is None
        row = annotate_status(Enrolment.objects.filter(pk=current.pk), today=date(2027, 2, 1))[0]
        assert row.due_on == date(2027, 1, 10)
        assert row.status == CourseStatus.OVERDUE
        # Running again opens nothing more.
        assert assignment_recurrences_reopen(today=date(2027, 2, 1)) == 0
        assert Enrolment.objects.filter(user=people["a"], course=course_tree.course).count() == 2


def test_sql_status_agrees_with_pure_rule(orgs, course_tree):
    """Every status, built on fixed dates, computed in SQL and by the pure function."""
    today = date(2026, 6, 15)
    cases = [
        ({}, None),
        ({"started": True}, None),
        ({}, date(2026, 6, 1)),
        ({"done": True}, None),
        ({"done": True, "cert": True, "expires": None}, None),
        ({"done": True, "cert": True, "expires": date(2026, 7, 1)}, date(2026, 1, 1)),
        ({"done": True, "cert": True, "expires": date(2026, 6, 1)}, None),
        ({"done": True, "cert": True, "expires": date(2027, 6, 1)}, None),
    ]
    expected = {}
    from learners.models import Assignment

    for i, (state, due) in enumerate(cases):
        user = UserFactory(organisation=orgs["a"])
        enrolment = Enrolment.objects.create(
            user=user,
            course=course_tree.course,
            course_title="C",
            last_activity_at=timezone.now() if state.get("started") or state.get("done") else None,
            completed_at=timezone.now() if state.get("done") else None,
        )
        if state.get("cert"):
            make_certificate(enrolment, expires_on=state["expires"])
        if due:
            assignment = Assignment.objects.create(
                course=course_tree.course,
                course_title="C",
                organisation=orgs["a"],
                target=AssignmentTarget.INDIVIDUALS,
                due_on=due,
            )
            AssignedLearner.objects.create(assignment=assignment, user=user, due_on=due)
        expected[enrolment.pk] = learner_course_status(
            today=today,
            due_on=due,
            started=bool(state.get("started") or state.get("done")),
            completed_on=today if state.get("done") else None,
            has_certificate=bool(state.get("cert")),
            certificate_expires_on=state.get("expires"),
        )
        assert i >= 0
    computed = {e.pk: e.status for e in annotate_status(Enrolment.objects.all(), today=today)}
    assert computed == expected
    assert set(expected.values()) == set(CourseStatus.ALL)
    # The export computes the status in Python from the rows it reads; it must say the same.
    from learners.hr.selectors import STATUS_LABELS, hr_export_rows

    by_email = {e.user.email: expected[e.pk] for e in Enrolment.objects.select_related("user")}
    exported = {
        row[1]: row[7]
        for row in hr_export_rows(
            annotate_status(Enrolment.objects.all(), today=today), today=today
        )
    }
    assert exported == {email: str(STATUS_LABELS[status]) for email, status in by_email.items()}


def test_verified_email_domain_places_person_without_organisation(orgs):
    orgs["a"].email_domain = "a.example"
    orgs["a"].save()
    person = UserFactory(organisation=None, email="new@A.example")
    assert organisation_join_by_email_domain(user=person, email=person.email) == orgs["a"]
    person.refresh_from_db()
    assert person.organisation == orgs["a"]
    # Someone who already belongs somewhere is never moved.
    settled = UserFactory(organisation=orgs["b"])
    assert organisation_join_by_email_domain(user=settled, email="x@a.example") is None


def test_email_confirmed_signal_joins_by_domain(orgs, rf):
    from allauth.account.models import EmailAddress
    from allauth.account.signals import email_confirmed

    orgs["b"].email_domain = "b.example"
    orgs["b"].save()
    person = UserFactory(organisation=None, email="someone@b.example")
    address = EmailAddress.objects.get(user=person)
    email_confirmed.send(sender=EmailAddress, request=rf.get("/"), email_address=address)
    person.refresh_from_db()
    assert person.organisation == orgs["b"]


def test_new_department_for_organisation_does_not_leak(officer_a, orgs, course_tree):
    dept = DepartmentFactory(organisation=orgs["b"])
    with pytest.raises(AssignmentInvalid):
        _assign(officer_a, course_tree.course, orgs["a"], target="department", department=dept)


def test_signup_takes_an_optional_department_of_the_chosen_organisation(orgs, depts):
    from learners.accounts.forms import SignupProfileForm

    base = {"full_name": "New Person", "organisation": orgs["a"].pk, "government_level": "local"}
    assert not SignupProfileForm(data={**base, "department": depts["b"].pk}).is_valid()
    form = SignupProfileForm(data={**base, "department": depts["a"].pk})
    assert form.is_valid(), form.errors
    person = UserFactory(organisation=None)
    form.signup(None, person)
    person.refresh_from_db()
    # Declared, not proven: the choice waits as a request (see tests/learners/accounts/).
    assert (person.organisation, person.department) == (None, None)
    request = person.membership_requests.get(status="pending")
    assert (request.organisation, request.department) == (orgs["a"], depts["a"])
