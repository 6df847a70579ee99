from datetime import timedelta

import pytest
from django.utils import timezone

from cms.demo.certificates import load_certificates
from learners.models import Certificate, CertificateStatus, Enrolment, ScormAttempt
from learners.progress.services import enrolment_create
from learners.scorm.selectors import scorm_results
from tests.factories import UserFactory, catalogue_page, make_course

pytestmark = pytest.mark.django_db


def test_demo_learner_holds_a_valid_and_an_expired_certificate(django_capture_on_commit_callbacks):
    flagship = make_course(modules=1, lessons_per_module=2, certificate_validity_months=24).course
    learner = UserFactory(email="learner@example.org", full_name="Lucía Fernández Ortega")
    enrolment_create(user=learner, course=flagship)  # the cycle in progress, as load_people makes
    site = {"catalogue": catalogue_page(), "course": flagship}
    people = {"accounts": {"learner": learner}}
    with django_capture_on_commit_callbacks(execute=True):
        load_certificates(site, people)
    counts = (Certificate.objects.count(), Enrolment.objects.count())
    with django_capture_on_commit_callbacks(execute=True):
        load_certificates(site, people)
    assert (Certificate.objects.count(), Enrolment.objects.count()) == counts  # idempotent

    certificates = {c.status: c for c in Certificate.objects.filter(user=learner)}
    assert set(certificates) == {CertificateStatus.VALID, CertificateStatus.EXPIRED}
    valid, expired = certificates[CertificateStatus.VALID], certificates[CertificateStatus.EXPIRED]
    today = timezone.localdate()
    assert valid.course_title.startswith("Working with city networks")
    assert today - timedelta(days=100) < valid.completed_on < today - timedelta(days=80)
    assert expired.course_id == flagship.pk and expired.expires_on < today
    assert valid.pdfs.exists() and expired.pdfs.exists()
    # The networks course's SCORM self-check was played, not merely ticked: a real attempt
    # with its score, on the same timeline as the rest of that enrolment.
    attempt = ScormAttempt.objects.get(enrolment=valid.enrolment)
    assert attempt.score_percent == 100 and attempt.lesson_status == "passed"
    assert attempt.completed_at is not None
    assert valid.enrolment.enrolled_at <= attempt.started_at <= valid.enrolment.completed_at
    assert attempt.completed_at <= valid.enrolment.completed_at
    result = scorm_results([valid.enrolment_id])
    assert [r.score_percent for r in result.values()] == [100]
    cycles = list(
        Enrolment.objects.filter(user=learner, course=flagship)
        .values_list("cycle", "archived_at", "completed_at")
        .order_by("cycle")
    )
    assert cycles[0][0] == 1 and cycles[0][1] is not None and cycles[0][2] is not None
    assert cycles[1][0] == 2 and cycles[1][1] is None and cycles[1][2] is None
