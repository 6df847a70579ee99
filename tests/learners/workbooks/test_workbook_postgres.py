"""Two tabs saving the same version at the same moment: exactly one save wins (PostgreSQL)."""

import threading

import pytest
from django.conf import settings

from courses.selectors.workbooks import workbook_spec
from learners.models import Workbook, WorkbookSubmission
from learners.progress.services import enrolment_create
from learners.workbooks.services import (
    WorkbookConflict,
    WorkbookRefused,
    workbook_open,
    workbook_save,
    workbook_submit,
)
from tests.factories import UserFactory, make_course, make_workbook

# Skipped at collection (not in a fixture) so that, on SQLite, no transactional flush runs for
# a test that is skipped anyway.
pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        "postgresql" not in settings.DATABASES["default"]["ENGINE"],
        reason="concurrency tests need PostgreSQL (DATABASE_URL=postgres://…)",
    ),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def _together(targets):
    barrier = threading.Barrier(len(targets))
    outcomes = []

    def worker(target):
        from django.db import connection as thread_connection

        try:
            barrier.wait()
            outcomes.append(("ok", target()))
        except Exception as error:  # noqa: BLE001 - reported by the assertions
            outcomes.append(("error", error))
        finally:
            thread_connection.close()

    threads = [threading.Thread(target=worker, args=(t,)) for t in targets]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def _workbook():
    tree = make_course(modules=1, lessons_per_module=1)
    page = make_workbook(tree.course)
    user = UserFactory()
    enrolment, _ = enrolment_create(user=user, course=tree.course)
    return user, page, workbook_open(user=user, enrolment=enrolment, page=page)


def test_two_saves_of_one_version_one_wins_the_other_is_refused():
    user, page, workbook = _workbook()
    spec = workbook_spec(page)

    def save(text):
        return lambda: workbook_save(
            user=user,
            workbook=Workbook.objects.get(pk=workbook.pk),
            spec=spec,
            data={"f-fld-assets": text},
            expected_version=0,
        )

    outcomes = _together([save("tab one"), save("tab two")])
    kinds = sorted(kind for kind, _ in outcomes)
    assert kinds == ["error", "ok"]
    error = next(value for kind, value in outcomes if kind == "error")
    assert isinstance(error, WorkbookConflict)
    stored = Workbook.objects.get(pk=workbook.pk)
    assert stored.version == 1
    assert stored.answers["fld-assets"] in ("tab one", "tab two")
    assert error.parsed.answers["fld-assets"] != stored.answers["fld-assets"]


def test_two_concurrent_submissions_make_one_version():
    user, page, workbook = _workbook()
    spec = workbook_spec(page)
    workbook_save(
        user=user, workbook=workbook, spec=spec, data={"f-fld-assets": "x"}, expected_version=0
    )

    def submit():
        return workbook_submit(user=user, workbook=Workbook.objects.get(pk=workbook.pk), spec=spec)

    outcomes = _together([submit, submit])
    assert sorted(kind for kind, _ in outcomes) == ["error", "ok"]
    assert all(isinstance(v, WorkbookRefused) for k, v in outcomes if k == "error")
    assert WorkbookSubmission.objects.filter(workbook=workbook).count() == 1
