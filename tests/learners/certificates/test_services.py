import io
from datetime import date, timedelta
from decimal import Decimal

import pypdfium2
import pytest
import zxingcpp
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from pypdf import PdfReader

from courses.models import CertificateTemplate
from learners.certificates.codes import ALPHABET, CODE_LENGTH, format_code, normalise_code
from learners.certificates.services import (
    CertificateActionRefused,
    certificate_issue,
    certificate_reissue,
    certificate_revoke,
)
from learners.models import (
    AuditAction,
    Certificate,
    CertificateAuditEntry,
    CertificateStatus,
    RevocationReason,
    Verb,
)
from tests.factories import UserFactory, complete_course

pytestmark = pytest.mark.django_db


@pytest.fixture
def holder(db):
    return UserFactory(full_name="Zoë Παπαδοπούλου-Коваленко Núñez")


@pytest.fixture
def issued(holder, course_tree, django_capture_on_commit_callbacks):
    course = course_tree.course
    course.estimated_hours = Decimal("6.5")
    course.certificate_validity_months = 24
    course.save_revision().publish()
    with django_capture_on_commit_callbacks(execute=True):
        enrolment = complete_course(holder, course_tree)
    return Certificate.objects.get(enrolment=enrolment)


def test_completion_issues_exactly_one_certificate(issued, holder):
    assert Certificate.objects.count() == 1
    again, created = certificate_issue(enrolment=issued.enrolment)
    assert not created and again.pk == issued.pk
    assert Certificate.objects.count() == 1
    assert issued.holder_name == holder.full_name
    assert issued.estimated_hours == Decimal("6.5")
    assert issued.final_score is None  # the course has no final assessment yet
    assert issued.issuer_name == "Capacitas"  # the default template
    assert issued.expires_on == date(
        issued.completed_on.year + 2, issued.completed_on.month, issued.completed_on.day
    )
    assert issued.status == CertificateStatus.VALID
    audit = CertificateAuditEntry.objects.get(certificate=issued)
    assert audit.action == AuditAction.ISSUED and audit.actor is None
    from learners.models import ActivityEvent

    assert ActivityEvent.objects.filter(verb=Verb.EARNED, object_id=issued.pk).count() == 1


def test_incomplete_enrolment_gets_no_certificate(learner, course_tree):
    from learners.progress.services import enrolment_create

    enrolment, _ = enrolment_create(user=learner, course=course_tree.course)
    with pytest.raises(CertificateActionRefused):
        certificate_issue(enrolment=enrolment)
    assert not Certificate.objects.exists()


def test_snapshot_survives_course_and_name_changes(issued, holder, course_tree):
    frozen = Certificate.objects.values().get(pk=issued.pk)
    holder.full_name = "Someone Else"
    holder.save()
    course = course_tree.course
    course.title = "A renamed course"
    course.estimated_hours = Decimal("40")
    course.certificate_validity_months = 1
    course.save_revision().publish()
    template = CertificateTemplate.objects.get(is_default=True)
    template.issuer_name = "Another issuer"
    template.save()
    assert Certificate.objects.values().get(pk=issued.pk) == frozen


def test_code_is_random_typeable_and_normalised(issued):
    code = issued.code
    assert len(code) == CODE_LENGTH and set(code) <= set(ALPHABET)
    shown = issued.display_code
    assert shown.count("-") == CODE_LENGTH // 4 - 1
    typed = shown.lower().replace("0", "o").replace("1", "l").replace("-", " ")
    assert normalise_code(typed) == code
    assert normalise_code(code + "X") is None
    assert normalise_code("<script>") is None
    assert format_code(code) == shown


def test_pdf_is_stored_once_with_name_code_and_qr(issued):
    issued.refresh_from_db()
    assert issued.pdfs.count() == 1
    with issued.pdfs.get().file.open("rb") as handle:
        content = handle.read()
    reader = PdfReader(io.BytesIO(content))
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert round(float(box.width)) == 842 and round(float(box.height)) == 595  # A4 landscape
    text = reader.pages[0].extract_text()
    assert issued.holder_name in text
    assert issued.display_code in text
    assert issued.course_title in text

    page = pypdfium2.PdfDocument(content)[0]
    image = page.render(scale=3).to_pil()
    results = zxingcpp.read_barcodes(image)
    urls = [r.text for r in results if r.format == zxingcpp.BarcodeFormat.QRCode]
    assert urls == [f"http://testserver/certificates/verify/{issued.display_code}/"]

    # Stored once: a second run leaves the file as it was.
    from learners.certificates.pdf import certificate_pdf_store

    name = issued.pdfs.get().file.name
    assert certificate_pdf_store(certificate_id=issued.pk) is False
    issued.refresh_from_db()
    assert issued.pdfs.get().file.name == name


def test_reissue_supersedes_and_audits(issued, holder):
    admin = UserFactory(is_superuser=True, is_staff=True)
    new = certificate_reissue(
        certificate=issued, actor=admin, holder_name="Zoë Núñez", note="Name misspelt"
    )
    issued.refresh_from_db()
    assert new.code != issued.code
    assert new.holder_name == "Zoë Núñez"
    assert new.course_title == issued.course_title and new.expires_on == issued.expires_on
    assert issued.status == CertificateStatus.SUPERSEDED and issued.superseded_by_id == new.pk
    assert new.status == CertificateStatus.VALID
    entry = CertificateAuditEntry.objects.get(certificate=new)
    assert entry.action == AuditAction.REISSUED and entry.actor == admin
    assert entry.related_id == issued.pk and entry.note == "Name misspelt"
    # A superseded certificate cannot be re-issued again, and the completion still gives one.
    with pytest.raises(CertificateActionRefused):
        certificate_reissue(certificate=issued, actor=admin, note="again")
    assert certificate_issue(enrolment=issued.enrolment) == (new, False)


def test_revoke_records_reason_and_cannot_repeat(issued):
    admin = UserFactory(is_superuser=True, is_staff=True)
    with pytest.raises(CertificateActionRefused):
        certificate_revoke(certificate=issued, actor=admin, reason="nonsense")
    certificate_revoke(
        certificate=issued, actor=admin, reason=RevocationReason.MISCONDUCT, note="Plagiarism"
    )
    issued.refresh_from_db()
    assert issued.status == CertificateStatus.REVOKED
    entry = CertificateAuditEntry.objects.get(action=AuditAction.REVOKED)
    assert entry.actor == admin and entry.reason == RevocationReason.MISCONDUCT
    with pytest.raises(CertificateActionRefused):
        certificate_revoke(certificate=issued, actor=admin, reason=RevocationReason.OTHER)
    with pytest.raises(CertificateActionRefused):
        certificate_reissue(certificate=issued, actor=admin, note="x")


def test_audit_log_is_append_only(issued):
    entry = CertificateAuditEntry.objects.get(certificate=issued)
    with pytest.raises(PermissionDenied):
        entry.save()
    with pytest.raises(PermissionDenied):
        entry.delete()
    with pytest.raises(PermissionDenied):
        CertificateAuditEntry.objects.all().delete()
    with pytest.raises(PermissionDenied):
        CertificateAuditEntry.objects.update(note="x")


def test_expired_status(issued):
    assert issued.status_on(issued.expires_on) == CertificateStatus.VALID
    assert issued.status_on(issued.expires_on + timedelta(days=1)) == CertificateStatus.EXPIRED


def test_recertification_keeps_history(
    issued, holder, course_tree, django_capture_on_commit_callbacks
):
    from learners.progress.services import enrolment_renew, lesson_complete

    Certificate.objects.filter(pk=issued.pk).update(
        expires_on=timezone.localdate() - timedelta(days=1)
    )
    enrolment = enrolment_renew(user=holder, course=course_tree.course)
    assert enrolment.cycle == 2
    with django_capture_on_commit_callbacks(execute=True):
        for lesson in course_tree.lessons:
            lesson_complete(user=holder, enrolment=enrolment, lesson=lesson)
    certificates = list(Certificate.objects.filter(user=holder).order_by("issued_at"))
    assert len(certificates) == 2
    assert certificates[0].status == CertificateStatus.EXPIRED
    assert certificates[1].status == CertificateStatus.VALID
    assert certificates[1].enrolment_id == enrolment.pk
