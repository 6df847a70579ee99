import threading

import pytest
from django.db import connection

from learners.certificates.services import certificate_issue
from learners.models import Certificate, CertificateAuditEntry, Enrolment, LessonProgress
from learners.progress.services import enrolment_completion_check
from tests.factories import UserFactory, make_course

# serialized_rollback restores the rows migrations create (Wagtail's root page, the default
# certificate template) that a transactional test's flush removes.
pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("concurrency tests need PostgreSQL (DATABASE_URL=postgres://…)")


def _run_together(target, n=2):
    barrier = threading.Barrier(n)
    errors = []

    def worker():
        from django.db import connection as thread_connection

        try:
            barrier.wait()
            target()
        except Exception as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(error)
        finally:
            thread_connection.close()

    threads = [threading.Thread(target=worker) for _ in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


def _completed_without_certificate(tree, user, *, completed: bool):
    from django.utils import timezone

    from learners.progress.services import enrolment_create

    enrolment, _ = enrolment_create(user=user, course=tree.course)
    for lesson in tree.lessons:
        LessonProgress.objects.create(
            enrolment=enrolment,
            lesson=lesson,
            lesson_title=lesson.title,
            completed_at=timezone.now(),
        )
    if completed:
        Enrolment.objects.filter(pk=enrolment.pk).update(completed_at=timezone.now())
    return enrolment


def test_two_concurrent_issues_make_one_certificate():
    tree = make_course(modules=1, lessons_per_module=2)
    enrolment = _completed_without_certificate(tree, UserFactory(), completed=True)
    errors = _run_together(
        lambda: certificate_issue(enrolment=Enrolment.objects.get(pk=enrolment.pk))
    )
    assert errors == []
    assert Certificate.objects.filter(enrolment=enrolment).count() == 1
    assert CertificateAuditEntry.objects.filter(certificate__enrolment=enrolment).count() == 1


def test_two_concurrent_completions_make_one_certificate():
    tree = make_course(modules=1, lessons_per_module=2)
    enrolment = _completed_without_certificate(tree, UserFactory(), completed=False)
    errors = _run_together(
        lambda: enrolment_completion_check(enrolment=Enrolment.objects.get(pk=enrolment.pk)), n=4
    )
    assert errors == []
    assert Certificate.objects.filter(enrolment=enrolment).count() == 1
    assert CertificateAuditEntry.objects.filter(certificate__enrolment=enrolment).count() == 1
