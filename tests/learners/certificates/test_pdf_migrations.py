"""The data migrations of stored certificate PDFs, run on the schema they were written for:
0009 moves early PDFs out of public media; 0013 keys each stored PDF by language."""

import importlib
import secrets
from datetime import date

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage, storages
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

BEFORE = ("learners", "0012_workbooks")
AFTER = ("learners", "0013_certificates_languages")


def _migrate(target):
    executor = MigrationExecutor(connection)
    executor.migrate([target])
    return MigrationExecutor(connection).loader.project_state([target]).apps


@pytest.fixture
def before_languages():
    """The schema as of 0012 (Certificate.pdf); the latest one is restored afterwards."""
    apps = _migrate(BEFORE)
    yield apps
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


def _certificate(apps, pdf: str):
    User = apps.get_model("learners", "User")
    Enrolment = apps.get_model("learners", "Enrolment")
    Certificate = apps.get_model("learners", "Certificate")
    user = User.objects.create(
        email=f"{secrets.token_hex(4)}@example.org", full_name="Early Holder"
    )
    enrolment = Enrolment.objects.create(user=user, course_title="Early course")
    return Certificate.objects.create(
        user=user,
        enrolment=enrolment,
        code=secrets.token_hex(14).upper(),
        holder_name="Early Holder",
        course_title="Early course",
        completed_on=date(2026, 1, 5),
        issuer_name="Capacitas",
        pdf=pdf,
    )


def test_0009_moves_earlier_pdfs_out_of_public_media(before_languages):
    name = f"certificates/2026/01/earlier-{secrets.token_hex(8)}.pdf"
    default_storage.save(name, ContentFile(b"%PDF-earlier"))
    _certificate(before_languages, name)

    migration = importlib.import_module("learners.migrations.0009_certificate_pdf_private_storage")
    migration.move_pdfs_to_private_storage(before_languages, None)

    assert not default_storage.exists(name)
    with storages["private"].open(name, "rb") as handle:
        assert handle.read() == b"%PDF-earlier"


def test_0013_keys_each_stored_pdf_by_the_default_language_and_back(before_languages, settings):
    name = f"certificates/2026/01/early-{secrets.token_hex(8)}.pdf"
    with_pdf = _certificate(before_languages, name)
    without = _certificate(before_languages, "")

    after = _migrate(AFTER)
    CertificatePdf = after.get_model("learners", "CertificatePdf")
    rows = list(CertificatePdf.objects.values_list("certificate_id", "language", "file"))
    assert rows == [(with_pdf.pk, settings.LANGUAGE_CODE, name)]
    assert not CertificatePdf.objects.filter(certificate_id=without.pk).exists()

    back = _migrate(BEFORE)
    Certificate = back.get_model("learners", "Certificate")
    assert Certificate.objects.get(pk=with_pdf.pk).pdf.name == name
    assert Certificate.objects.get(pk=without.pk).pdf.name == ""
