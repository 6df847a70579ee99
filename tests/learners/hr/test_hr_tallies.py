"""The HR dashboard's kept tallies equal a rebuild from scratch, whatever happened in between."""

import io
import random
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.db.models import ProtectedError, Sum
from django.utils import timezone

from learners.certificates.services import certificate_reissue, certificate_revoke
from learners.hr.models import HRTally
from learners.hr.selectors import hr_dashboard
from learners.hr.services import (
    assignment_create,
    assignment_recurrences_reopen,
    learner_department_set,
)
from learners.hr.tallies import tallies_current, tallies_expected, tallies_rebuild
from learners.models import (
    AssignedLearner,
    Assignment,
    AssignmentTarget,
    Certificate,
    Enrolment,
    User,
)
from learners.privacy.services import account_erase
from learners.progress.services import enrolment_create, enrolment_renew, lesson_complete
from tests.factories import DepartmentFactory, UserFactory, make_certificate, make_course

pytestmark = pytest.mark.django_db


def assert_tallies_match(step: str = "") -> None:
    assert tallies_current() == tallies_expected(), step


def _complete(user, tree) -> None:
    enrolment = Enrolment.objects.filter(
        user=user, course=tree.course, archived_at__isnull=True
    ).first()
    if enrolment is None:
        return
    for lesson in tree.lessons:
        lesson_complete(user=user, enrolment=enrolment, lesson=lesson)


@pytest.fixture
def world(orgs, depts, officer_metro):
    trees = [make_course(modules=1, lessons_per_module=1) for _ in range(3)]
    extra = {
        "a2": DepartmentFactory(organisation=orgs["a"], name="Finance"),
        "b2": DepartmentFactory(organisation=orgs["b"], name="Mobility"),
    }
    departments = {**depts, **extra}
    people = [
        UserFactory(
            organisation=orgs[key],
            department=departments[key if i % 2 else f"{key}2"] if key != "c" else depts["c"],
        )
        for i, key in enumerate(["a", "a", "a", "b", "b", "b", "c", "c"])
    ]
    return {
        "trees": trees,
        "orgs": orgs,
        "depts": departments,
        "people": people,
        "officer": officer_metro,
    }


def _operations(world, rng: random.Random):
    trees, orgs, depts, officer = world["trees"], world["orgs"], world["depts"], world["officer"]
    today = timezone.localdate()

    def person():
        return rng.choice(list(User.objects.filter(pk__in=[p.pk for p in world["people"]])))

    def live_tree():
        alive = [t for t in trees if type(t.course).objects.filter(pk=t.course.pk).exists()]
        return rng.choice(alive) if alive else None

    def enrol():
        tree = live_tree()
        if tree:
            enrolment_create(user=person(), course=tree.course)

    def complete():
        tree = live_tree()
        if tree:
            _complete(person(), tree)

    def renew():
        tree = live_tree()
        if tree:
            enrolment_renew(user=person(), course=tree.course)

    def assign():
        tree = live_tree()
        if tree is None:
            return
        target = rng.choice(AssignmentTarget.values)
        org = orgs[rng.choice(["a", "b"])]
        department = None
        learners = ()
        if target == AssignmentTarget.DEPARTMENT:
            candidates = [d for d in depts.values() if d.organisation_id == org.pk]
            candidates = [d for d in candidates if type(d).objects.filter(pk=d.pk).exists()]
            if not candidates:
                return
            department = rng.choice(candidates)
        if target == AssignmentTarget.INDIVIDUALS:
            ids = [p.pk for p in world["people"]]
            learners = list(User.objects.filter(organisation=org, pk__in=ids)[:2])
            if not learners:
                return
        assignment_create(
            created_by=officer,
            course=tree.course,
            organisation=org,
            target=target,
            department=department,
            learners=learners,
            due_on=today + timedelta(days=rng.choice([-5, 10])),
            recurrence_months=rng.choice([None, 1]),
        )

    def move_department():
        someone = person()
        if someone.organisation_id not in (orgs["a"].pk, orgs["b"].pk):
            return
        choices = [
            d
            for d in depts.values()
            if d.organisation_id == someone.organisation_id
            and type(d).objects.filter(pk=d.pk).exists()
        ]
        learner_department_set(
            changed_by=officer, person=someone, department=rng.choice([None, *choices])
        )

    def move_organisation():
        # An administrator edits the profile (a full save, no service).
        someone = person()
        someone.organisation = orgs[rng.choice(["a", "b", "c"])]
        someone.department = None
        someone.save()

    def erase():
        someone = person()
        if someone.is_active:
            account_erase(user=someone)

    def delete_person():
        someone = person()
        world["people"] = [p for p in world["people"] if p.pk != someone.pk]
        someone.delete()

    def delete_assignment():
        assignment = Assignment.objects.order_by("?").first()
        if assignment:
            assignment.delete()

    def delete_department():
        candidates = [d for d in depts.values() if type(d).objects.filter(pk=d.pk).exists()]
        if candidates:
            rng.choice(candidates).delete()

    def delete_course():
        tree = live_tree()
        if tree:
            tree.course.delete()

    def direct_rows():
        # Rows made by the ORM without a service, as fixtures and scripts do.
        tree = live_tree()
        someone = person()
        if (
            tree
            and not Enrolment.objects.filter(
                user=someone, course=tree.course, archived_at__isnull=True
            ).exists()
        ):
            Enrolment.objects.create(
                user=someone,
                course=tree.course,
                course_title=tree.course.title,
                completed_at=timezone.now() if rng.random() < 0.5 else None,
            )

    def certify():
        # A certificate for a completed enrolment: some never expire, some have expired.
        enrolment = (
            Enrolment.objects.filter(completed_at__isnull=False, certificates__isnull=True)
            .order_by("?")
            .first()
        )
        if enrolment:
            make_certificate(
                enrolment,
                expires_on=rng.choice([None, today - timedelta(days=3), today + timedelta(40)]),
                issued_at=timezone.now() - timedelta(days=rng.choice([0, 45, 400])),
            )

    def revoke():
        certificate = Certificate.objects.filter(revoked_at__isnull=True).order_by("?").first()
        if certificate:
            certificate_revoke(certificate=certificate, actor=officer, reason="other")

    def reissue():
        certificate = (
            Certificate.objects.filter(revoked_at__isnull=True, superseded_at__isnull=True)
            .order_by("?")
            .first()
        )
        if certificate:
            certificate_reissue(certificate=certificate, actor=officer, note="Name corrected")

    def delete_certificate():
        certificate = Certificate.objects.order_by("?").first()
        if certificate:
            certificate.delete()

    def deactivate():
        someone = person()
        someone.is_active = not someone.is_active
        someone.save(update_fields=["is_active"])

    def reopen_recurrences():
        assignment_recurrences_reopen(today=today + timedelta(days=400))

    common = [enrol, enrol, complete, complete, assign, direct_rows, certify, certify]
    rare = [
        renew,
        move_department,
        move_organisation,
        erase,
        delete_person,
        delete_assignment,
        delete_department,
        delete_course,
        reopen_recurrences,
        revoke,
        reissue,
        delete_certificate,
        deactivate,
    ]
    return common, rare


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_kept_tallies_equal_a_rebuild_after_random_operations(world, seed):
    rng = random.Random(seed)
    common, rare = _operations(world, rng)
    # Every rare operation once, in a random order, each after two random common ones.
    schedule = []
    for operation in rng.sample(rare, len(rare)):
        schedule += [rng.choice(common), rng.choice(common), operation]
    history = []
    for operation in schedule:
        history.append(operation.__name__)
        try:
            with transaction.atomic():
                operation()
        except ProtectedError:
            history.append("(refused)")  # e.g. a certificate with an audit trail
        assert_tallies_match(" → ".join(history))
    assert (
        HRTally.objects.aggregate(n=Sum("enrolments"))["n"]
        == Enrolment.objects.filter(
            archived_at__isnull=True, user__organisation__isnull=False
        ).count()
    )
    before = tallies_current()
    tallies_rebuild()
    assert tallies_current() == before


def test_every_kind_of_write_is_counted(world):
    """Each operation on its own, in an order where each one changes the figures."""
    trees, orgs, depts, officer = world["trees"], world["orgs"], world["depts"], world["officer"]
    ana, bob = world["people"][0], world["people"][3]
    today = timezone.localdate()
    enrolment_create(user=ana, course=trees[0].course)
    enrolment_create(user=bob, course=trees[0].course)
    assert_tallies_match("enrol")
    _complete(ana, trees[0])
    assert tallies_current()[
        ("c", orgs["a"].pk, ana.department_id, trees[0].course.pk, trees[0].course.title)
    ] == (1, 1, 0, 0)
    assignment_create(
        created_by=officer,
        course=trees[0].course,
        organisation=orgs["a"],
        target=AssignmentTarget.ORGANISATION,
        due_on=today,
        recurrence_months=1,
    )
    assert tallies_current()[
        ("c", orgs["a"].pk, ana.department_id, trees[0].course.pk, trees[0].course.title)
    ] == (2, 1, 2, 1)  # the whole organisation: Ana's colleague in her department is enrolled
    assert_tallies_match("assign")
    enrolment_renew(user=ana, course=trees[0].course)
    assert_tallies_match("renew")
    learner_department_set(changed_by=officer, person=ana, department=depts["a"])
    assert_tallies_match("move department")
    account_erase(user=bob)
    assert_tallies_match("erase")  # erasure keeps the records, and the figures
    AssignedLearner.objects.filter(user=ana).delete()
    assert_tallies_match("unassign")
    depts["a"].delete()
    assert_tallies_match("delete department")
    trees[0].course.delete()
    assert_tallies_match("delete course")
    orgs["b"].delete()
    assert_tallies_match("delete organisation")
    # A person without certificates (those protect their holder from deletion).
    carl = world["people"][2]
    enrolment_create(user=carl, course=trees[1].course)
    make_certificate(Enrolment.objects.get(user=carl, course=trees[1].course))
    assert_tallies_match("certificate without audit trail")
    Certificate.objects.filter(user=carl).delete()
    assert_tallies_match("delete certificate")
    User.objects.filter(pk=carl.pk).delete()
    assert_tallies_match("delete person")


def test_scope_is_unchanged_two_organisations(world):
    """An officer of A sees A's tallies only; the metropolitan officer sees A and B, never C."""
    from learners.accounts.models import HROfficerRole

    trees, orgs = world["trees"], world["orgs"]
    for someone in world["people"]:
        enrolment_create(user=someone, course=trees[0].course)
    officer_a = UserFactory(organisation=orgs["a"])
    HROfficerRole.objects.create(user=officer_a, organisation=orgs["a"])
    today = timezone.localdate()
    in_a = hr_dashboard(officer_a, today=today)
    in_metro = hr_dashboard(world["officer"], today=today)
    assert sum(bar.total for bar in in_a.by_course) == 3
    assert sum(bar.total for bar in in_metro.by_course) == 6  # A and B, not City C
    assert all("(Municipality A)" in bar.label for bar in in_a.by_department)
    assert not any("City C" in bar.label for bar in in_metro.by_department)


def test_rebuild_command_repairs_and_checks(world):
    trees = world["trees"]
    for someone in world["people"][:4]:
        enrolment_create(user=someone, course=trees[1].course)
    HRTally.objects.update(enrolments=99)  # drift, as a raw SQL import would leave
    out = io.StringIO()
    with pytest.raises(CommandError, match="differ"):
        call_command("hr_aggregates_rebuild", "--check", stdout=out)
    call_command("hr_aggregates_rebuild", stdout=out)
    assert "Rebuilt the HR tallies" in out.getvalue()
    assert_tallies_match()
    call_command("hr_aggregates_rebuild", "--check", stdout=out)
    assert "match" in out.getvalue()


def test_day_figures_follow_people_and_certificates(world):
    """People, certified people, expiring and issued certificates as the dashboard shows them,
    through issue, expiry, revocation, deactivation and erasure."""
    trees, orgs = world["trees"], world["orgs"]
    today = timezone.localdate()
    ana, bea = world["people"][0], world["people"][1]
    for someone in (ana, bea):
        enrolment_create(user=someone, course=trees[0].course)
        _complete(someone, trees[0])
    # Completion issued each a certificate; Ana's expires in 20 days, Bea's expired yesterday.
    ana_cert = Certificate.objects.get(user=ana)
    ana_cert.expires_on = today + timedelta(days=20)
    ana_cert.save()
    bea_cert = Certificate.objects.get(user=bea)
    bea_cert.expires_on = today - timedelta(days=1)
    bea_cert.save()
    officer_a = world["officer"]

    def figures():
        d = hr_dashboard(officer_a, today=today)
        return d.learners, d.certified_people, d.expiring[30], d.per_month[-1].value

    people_in_scope = User.objects.filter(
        organisation__in=[orgs["metro"], orgs["a"], orgs["b"]], is_active=True
    ).count()
    assert figures() == (people_in_scope, 1, 1, 2)
    assert_tallies_match("certificates")
    account_erase(user=ana)
    assert figures() == (people_in_scope, 1, 1, 2)  # erasure changes no figure
    assert_tallies_match("erased")
    certificate_revoke(certificate=ana_cert, actor=officer_a, reason="other")
    assert figures() == (people_in_scope, 0, 0, 2)
    bea.is_active = False
    bea.save()
    assert figures() == (people_in_scope - 1, 0, 0, 2)
    assert_tallies_match("deactivated")
