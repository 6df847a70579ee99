"""The HR dashboard's running totals: how they are counted, kept and rebuilt.

A person's *contribution* is what they add to two tables:

- `HRTally`, by (organisation, department, course, course title): their current enrolments,
  completed, assigned (HR assigned that course to them) and assigned-and-completed;
- `HRDayTally`, by (organisation, kind, day): themselves (PEOPLE, when active or erased),
  the day until which they hold a valid certificate (CERTIFIED), and each certificate's issue
  day (ISSUED) and, while it is current, its expiry day (EXPIRES).

Every write that can change a contribution
takes the person's contribution before and after and adds the difference to the tallies, in
the write's transaction:

- services that write in bulk or with `update()` (assignments, recurrences) wrap the write in
  `tally_tracking(user_ids=…)`, which first locks the people's rows, so two writers for one
  person run one after the other and two writers for different people add up (F() increments
  on rows made by an insert that ignores conflicts);
- model writes anywhere else (an enrolment or assignment row saved or deleted, a person moved to
  another organisation or department, a cascade from deleting a person or an assignment) are
  caught by the model signals connected in `learners.hr.signals`;
- a completion (an `update()` in the progress room) arrives through the `course_completed`
  signal and adds its one row;
- deleting a course page, a department or an organisation re-keys or drops their tallies
  (the database sets the foreign keys to NULL without model signals).

`tallies_rebuild()` (`manage.py hr_aggregates_rebuild`) recomputes every row from the
enrolments; the tests hold the kept tallies equal to a rebuild after random operations.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import date, timedelta

from django.db import transaction
from django.db.models import Count, Exists, F, OuterRef, Q, Sum
from django.db.models.functions import TruncDate

from learners.accounts.models import User
from learners.certificates.models import Certificate
from learners.hr.models import AssignedLearner, DayTallyKind, HRDayTally, HRTally
from learners.progress.models import Enrolment

# ("c", organisation, department or 0, course or 0, course title) -> (enrolments, completed,
# assigned, assigned and completed); ("d", organisation, kind, day) -> (count,)
Key = tuple
Counts = tuple[int, ...]
COURSES, DAYS = "c", "d"
BOTH = (COURSES, DAYS)
NO_DAY = date(1, 1, 1)  # PEOPLE rows
FOREVER = date(9999, 12, 31)  # CERTIFIED by a certificate that never expires

_state = threading.local()


def _tracked() -> set[int]:
    """People whose contribution an enclosing `tally_tracking` block is already keeping."""
    if not hasattr(_state, "tracked"):
        _state.tracked = set()
    return _state.tracked


def _pending() -> dict[tuple[int, str], dict[Key, Counts]]:
    """Contributions taken by a pre_save/pre_delete receiver, for its post_* twin."""
    if not hasattr(_state, "pending"):
        _state.pending = {}
    return _state.pending


def _course_part(enrolments) -> dict[Key, Counts]:
    assigned = AssignedLearner.objects.filter(
        user=OuterRef("user_id"), assignment__course=OuterRef("course_id")
    )
    rows = (
        enrolments.filter(archived_at__isnull=True, user__organisation_id__isnull=False)
        .annotate(is_assigned=Exists(assigned))
        .values("user__organisation_id", "user__department_id", "course_id", "course_title")
        .annotate(
            n=Count("pk"),
            done=Count("pk", filter=Q(completed_at__isnull=False)),
            assigned=Count("pk", filter=Q(is_assigned=True)),
            assigned_done=Count("pk", filter=Q(is_assigned=True, completed_at__isnull=False)),
        )
        .order_by()
    )
    return {
        (
            COURSES,
            row["user__organisation_id"],
            row["user__department_id"] or 0,
            row["course_id"] or 0,
            row["course_title"],
        ): (row["n"], row["done"], row["assigned"], row["assigned_done"])
        for row in rows
    }


def _day_part(people, certificates, *, erased: frozenset[int] = frozenset()) -> dict[Key, Counts]:
    """People, certified-until days, issue days and expiry days, by organisation.

    The rules are the dashboard's: a person counts while active or erased (erasure keeps the
    records); a current certificate (neither revoked nor superseded) that has not expired makes
    its holder certified; issue days count every certificate.
    """
    out: dict[Key, list[int]] = {}

    def add(org: int, kind: str, day: date) -> None:
        out.setdefault((DAYS, org, kind, day), [0])[0] += 1

    org_of: dict[int, int] = {}
    counted: set[int] = set()
    for pk, org, active, erasure in people.filter(organisation_id__isnull=False).values_list(
        "pk", "organisation_id", "is_active", "privacy_erasure__id"
    ):
        org_of[pk] = org
        if active or erasure is not None or pk in erased:
            counted.add(pk)
            add(org, DayTallyKind.PEOPLE, NO_DAY)
    until: dict[int, date] = {}
    rows = certificates.annotate(day=TruncDate("issued_at")).values_list(
        "user_id", "day", "expires_on", "revoked_at", "superseded_at"
    )
    for user_id, day, expires_on, revoked_at, superseded_at in rows.iterator(chunk_size=5000):
        org = org_of.get(user_id)
        if org is None:
            continue
        add(org, DayTallyKind.ISSUED, day)
        if revoked_at is not None or superseded_at is not None:
            continue
        if expires_on is not None:
            add(org, DayTallyKind.EXPIRES, expires_on)
        if user_id in counted:
            until[user_id] = max(until.get(user_id, NO_DAY), expires_on or FOREVER)
    for user_id, day in until.items():
        add(org_of[user_id], DayTallyKind.CERTIFIED, day)
    return {key: tuple(counts) for key, counts in out.items()}


def contributions(
    user_ids: Iterable[int], parts: tuple[str, ...] = BOTH, *, erased: frozenset[int] = frozenset()
) -> dict[Key, Counts]:
    """What these people add to the tallies now (one query for the course part, two for the
    day part)."""
    ids = list(user_ids)
    if not ids:
        return {}
    out: dict[Key, Counts] = {}
    if COURSES in parts:
        out.update(_course_part(Enrolment.objects.filter(user_id__in=ids)))
    if DAYS in parts:
        out.update(
            _day_part(
                User.objects.filter(pk__in=ids),
                Certificate.objects.filter(user_id__in=ids),
                erased=erased,
            )
        )
    return out


def _difference(before: dict[Key, Counts], after: dict[Key, Counts]) -> dict[Key, Counts]:
    diff = {}
    for key in before.keys() | after.keys():
        new = after.get(key)
        old = before.get(key) or tuple(0 for _ in new)
        new = new or tuple(0 for _ in old)
        delta = tuple(b - a for a, b in zip(old, new, strict=True))
        if any(delta):
            diff[key] = delta
    return diff


def tallies_add(diff: dict[Key, Counts]) -> None:
    """Add `diff` to the tallies: missing rows are inserted (conflicts ignored, so a
    concurrent insert of the same row is harmless), then each row is incremented in place,
    in key order (so two writers never wait on each other in a circle)."""
    diff = {key: delta for key, delta in diff.items() if any(delta)}
    if not diff:
        return
    courses = sorted((key[1:], delta) for key, delta in diff.items() if key[0] == COURSES)
    days = sorted((key[1:], delta) for key, delta in diff.items() if key[0] == DAYS)
    with transaction.atomic():
        if courses:
            HRTally.objects.bulk_create(
                [
                    HRTally(
                        organisation_key=org,
                        department_key=dept,
                        course_key=course,
                        course_title=title,
                    )
                    for (org, dept, course, title), _delta in courses
                ],
                ignore_conflicts=True,
            )
        for (org, dept, course, title), (n, done, assigned, assigned_done) in courses:
            HRTally.objects.filter(
                organisation_key=org, department_key=dept, course_key=course, course_title=title
            ).update(
                enrolments=F("enrolments") + n,
                completed=F("completed") + done,
                assigned=F("assigned") + assigned,
                assigned_completed=F("assigned_completed") + assigned_done,
            )
        if days:
            HRDayTally.objects.bulk_create(
                [
                    HRDayTally(organisation_key=org, kind=kind, day=day)
                    for (org, kind, day), _delta in days
                ],
                ignore_conflicts=True,
            )
        for (org, kind, day), (n,) in days:
            HRDayTally.objects.filter(organisation_key=org, kind=kind, day=day).update(
                count=F("count") + n
            )


@contextmanager
def tally_tracking(*, user_ids: Iterable[int]) -> Iterator[None]:
    """Keep the tallies right across a block that may change these people's enrolments,
    assignments or certificates in any way (bulk inserts and `update()` included).

    Locks the people's rows first (ordered by id), takes their contribution, runs the block,
    and adds the difference — all in one transaction. Nested blocks for people already tracked
    cost nothing; model signals for tracked people stay quiet, since this block counts what
    they would.
    """
    tracked = _tracked()
    ids = sorted(set(user_ids) - tracked)
    if not ids:
        yield
        return
    with transaction.atomic():
        list(
            User.objects.select_for_update(no_key=True)
            .filter(pk__in=ids)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        before = contributions(ids)
        tracked.update(ids)
        try:
            yield
        finally:
            tracked.difference_update(ids)
        tallies_add(_difference(before, contributions(ids)))


# --- Model signals (connected in learners.hr.signals) ------------------------------------------
ENROLMENT_FIELDS = {"archived_at", "completed_at", "course", "course_title", "user"}
ASSIGNED_FIELDS = {"assignment", "user"}
CERTIFICATE_FIELDS = {"issued_at", "expires_on", "revoked_at", "superseded_at", "user"}
PERSON_FIELDS = {"organisation", "department", "is_active"}


def _watched(update_fields, fields: set[str]) -> bool:
    return update_fields is None or bool(fields & set(update_fields))


def before_row_write(
    *, user_id: int | None, part: str, update_fields=None, fields: set[str] = frozenset()
) -> None:
    """pre_save / pre_delete of an enrolment, assigned-learner or certificate row."""
    if user_id is None or user_id in _tracked():
        return
    if update_fields is not None and not _watched(update_fields, fields):
        return
    _pending()[(user_id, part)] = contributions([user_id], (part,))


def after_row_write(*, user_id: int | None, part: str, deleting: bool) -> None:
    """post_save / post_delete: add the difference since the pre_* twin.

    A cascade (deleting a person) sends every pre_delete before any row goes, then a
    post_delete per row; so the contribution kept for the next post_delete is the one just
    counted, and each row's removal is counted once.
    """
    pending = _pending()
    slot = (user_id, part)
    if user_id is None or slot not in pending:
        return
    if user_id in _tracked():
        pending.pop(slot, None)  # left by a write that failed; the tracking block counts
        return
    before = pending[slot]
    after = contributions([user_id], (part,))
    with transaction.atomic():
        tallies_add(_difference(before, after))
        if deleting:
            pending[slot] = after
            transaction.on_commit(lambda: pending.pop(slot, None))
    if not deleting:
        pending.pop(slot, None)


def person_before_save(person: User, update_fields=None) -> None:
    """pre_save of a person: their contribution, in case they move or (de)activate."""
    if person.pk is None:
        return  # a new person has nothing yet; post_save counts them
    if person.pk in _tracked() or not _watched(update_fields, PERSON_FIELDS):
        return
    _pending()[(person.pk, "person")] = contributions([person.pk])


def person_after_save(person: User, *, created: bool = False) -> None:
    """post_save of a person: add the difference (a new person counts once)."""
    if person.pk in _tracked():
        return
    before = _pending().pop((person.pk, "person"), None)
    if before is None and not created:
        return
    with transaction.atomic():
        tallies_add(_difference(before or {}, contributions([person.pk])))


def person_erasing(*, user: User) -> None:
    """Privacy erasure (a contributor's `erase`, inside its transaction): the person stays
    counted, as an erased person, though the erasure record is written after this call."""
    before = contributions([user.pk], (DAYS,))
    after = contributions([user.pk], (DAYS,), erased=frozenset({user.pk}))
    tallies_add(_difference(before, after))


def completion_recorded(enrolment: Enrolment) -> None:
    """The `course_completed` signal: one current enrolment became complete (an `update()`,
    so no model signal saw it)."""
    if enrolment.user_id in _tracked():
        return
    row = (
        User.objects.filter(pk=enrolment.user_id, organisation_id__isnull=False)
        .annotate(
            is_assigned=Exists(
                AssignedLearner.objects.filter(
                    user=OuterRef("pk"), assignment__course_id=enrolment.course_id
                )
            )
        )
        .values_list("organisation_id", "department_id", "is_assigned")
        .first()
    )
    if row is None or enrolment.archived_at is not None:
        return
    org, dept, is_assigned = row
    key = (COURSES, org, dept or 0, enrolment.course_id or 0, enrolment.course_title)
    tallies_add({key: (0, 1, 0, 1 if is_assigned else 0)})


def _merge(rows: list[HRTally], *, rekey, keep_assigned: bool) -> None:
    """Move locked tallies to new keys (a deleted course or department), summing where they
    meet: the old rows are decremented by what they held, never deleted, so a writer waiting
    on one of them still adds to the right total."""
    diff: dict[Key, list[int]] = {}
    for tally in rows:
        held = [tally.enrolments, tally.completed, tally.assigned, tally.assigned_completed]
        old = diff.setdefault(
            (
                COURSES,
                tally.organisation_key,
                tally.department_key,
                tally.course_key,
                tally.course_title,
            ),
            [0, 0, 0, 0],
        )
        new = diff.setdefault((COURSES, *rekey(tally)), [0, 0, 0, 0])
        for i, value in enumerate(held):
            old[i] -= value
            if keep_assigned or i < 2:
                new[i] += value
    tallies_add({key: tuple(counts) for key, counts in diff.items()})


def course_deleted(page_id: int) -> None:
    """A course page went: its enrolments keep their title but lose the course (key 0), and
    nothing counts as assigned any more (the assignment lost its course too)."""
    with transaction.atomic():
        rows = list(HRTally.objects.select_for_update().filter(course_key=page_id))
        _merge(
            rows,
            rekey=lambda t: (t.organisation_key, t.department_key, 0, t.course_title),
            keep_assigned=False,
        )


def department_deleted(department_id: int) -> None:
    """A department went: its people now have none (key 0)."""
    with transaction.atomic():
        rows = list(HRTally.objects.select_for_update().filter(department_key=department_id))
        _merge(
            rows,
            rekey=lambda t: (t.organisation_key, 0, t.course_key, t.course_title),
            keep_assigned=True,
        )


def organisation_deleted(organisation_id: int) -> None:
    """An organisation went: its people belong to none, so nothing of theirs is counted."""
    with transaction.atomic():
        HRTally.objects.filter(organisation_key=organisation_id).update(
            enrolments=0, completed=0, assigned=0, assigned_completed=0
        )
        HRDayTally.objects.filter(organisation_key=organisation_id).update(count=0)


# --- Reading -----------------------------------------------------------------------------------
def day_figures(
    scope: Iterable[int], *, today: date, expiry_windows: tuple[int, ...], months: list[date]
) -> dict[str, int]:
    """People, certified people, certificates expiring within each window and issued in each
    month (from `months`' first days), in one query over the day tallies."""
    ends = [*months[1:], (months[-1] + timedelta(days=32)).replace(day=1)]
    kinds = DayTallyKind
    figures = HRDayTally.objects.filter(organisation_key__in=list(scope)).aggregate(
        people=Sum("count", filter=Q(kind=kinds.PEOPLE)),
        certified=Sum("count", filter=Q(kind=kinds.CERTIFIED, day__gte=today)),
        **{
            f"d{days}": Sum(
                "count",
                filter=Q(kind=kinds.EXPIRES, day__gte=today, day__lte=today + timedelta(days)),
            )
            for days in expiry_windows
        },
        **{
            f"m{i}": Sum("count", filter=Q(kind=kinds.ISSUED, day__gte=start, day__lt=end))
            for i, (start, end) in enumerate(zip(months, ends, strict=True))
        },
    )
    return {name: value or 0 for name, value in figures.items()}


# --- From scratch ------------------------------------------------------------------------------
def tallies_expected() -> dict[Key, Counts]:
    """The tallies as the records make them now (a grouped pass over the enrolments, and one
    over the people and certificates)."""
    return {
        **_course_part(Enrolment.objects.all()),
        **_day_part(User.objects.all(), Certificate.objects.all()),
    }


def tallies_current() -> dict[Key, Counts]:
    """The kept tallies, rows at zero left out."""
    out: dict[Key, Counts] = {}
    for t in HRTally.objects.all():
        counts = (t.enrolments, t.completed, t.assigned, t.assigned_completed)
        if any(counts):
            out[(COURSES, t.organisation_key, t.department_key, t.course_key, t.course_title)] = (
                counts
            )
    for t in HRDayTally.objects.all():
        if t.count:
            out[(DAYS, t.organisation_key, t.kind, t.day)] = (t.count,)
    return out


def tallies_rebuild() -> int:
    """Set every tally to its value recomputed from the records; returns the groups.

    One transaction that first locks the tally rows; rows are updated in place (a group that
    no longer exists is set to zero), never deleted, so a writer waiting on a row adds its
    change to the rebuilt value.
    """
    with transaction.atomic():
        existing = {
            (COURSES, t.organisation_key, t.department_key, t.course_key, t.course_title): t
            for t in HRTally.objects.select_for_update()
        }
        existing_days = {
            (DAYS, t.organisation_key, t.kind, t.day): t
            for t in HRDayTally.objects.select_for_update()
        }
        expected = tallies_expected()
        changed = []
        for key, tally in existing.items():
            counts = expected.get(key, (0, 0, 0, 0))
            if (tally.enrolments, tally.completed, tally.assigned, tally.assigned_completed) != (
                counts
            ):
                tally.enrolments, tally.completed, tally.assigned, tally.assigned_completed = counts
                changed.append(tally)
        HRTally.objects.bulk_update(
            changed, ["enrolments", "completed", "assigned", "assigned_completed"], batch_size=500
        )
        changed_days = []
        for key, tally in existing_days.items():
            (count,) = expected.get(key, (0,))
            if tally.count != count:
                tally.count = count
                changed_days.append(tally)
        HRDayTally.objects.bulk_update(changed_days, ["count"], batch_size=500)
        HRTally.objects.bulk_create(
            [
                HRTally(
                    organisation_key=org,
                    department_key=dept,
                    course_key=course,
                    course_title=title,
                    enrolments=n,
                    completed=done,
                    assigned=assigned,
                    assigned_completed=assigned_done,
                )
                for key, (n, done, assigned, assigned_done) in sorted(
                    (k, v) for k, v in expected.items() if k[0] == COURSES
                )
                if key not in existing
                for (_tag, org, dept, course, title) in [key]
            ],
            batch_size=1000,
            ignore_conflicts=True,
        )
        HRDayTally.objects.bulk_create(
            [
                HRDayTally(organisation_key=org, kind=kind, day=day, count=count)
                for key, (count,) in sorted((k, v) for k, v in expected.items() if k[0] == DAYS)
                if key not in existing_days
                for (_tag, org, kind, day) in [key]
            ],
            batch_size=1000,
            ignore_conflicts=True,
        )
    return len(expected)
