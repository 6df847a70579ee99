"""Certificate PDFs live in private storage: never under public media, handed out by the view
after its permission checks (streamed locally, a signed expiring URL on object storage)."""

import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.storage import default_storage

from learners.certificates.pdf import certificate_pdf_store
from learners.models import Certificate, CertificatePdf
from tests.factories import UserFactory, complete_course
from tests.s3_server import s3_buckets, s3_server  # noqa: F401 - fixtures

pytestmark = pytest.mark.django_db


@pytest.fixture
def certificate(learner, course_tree, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        enrolment = complete_course(learner, course_tree)
    return Certificate.objects.get(enrolment=enrolment)


def test_pdf_is_stored_outside_public_media(certificate):
    certificate.refresh_from_db()
    private_root = Path(settings.STORAGES["private"]["OPTIONS"]["location"])
    assert Path(certificate.pdfs.get().file.storage.location) == private_root
    assert (private_root / certificate.pdfs.get().file.name).is_file()
    assert not default_storage.exists(certificate.pdfs.get().file.name)


@pytest.fixture
def s3_private(s3_server, s3_buckets, monkeypatch, settings):  # noqa: F811
    from storages.backends.s3 import S3Storage

    _media, private = s3_buckets
    storage = S3Storage(
        **s3_server.storage_options(
            private,
            location="private",
            default_acl="private",
            querystring_auth=True,
            querystring_expire=60,
            signature_version="s3v4",
        )
    )
    # The field resolved its storage when the model was imported; point it at S3 for the test.
    monkeypatch.setattr(CertificatePdf._meta.get_field("file"), "storage", storage)
    settings.PRIVATE_STORAGE_SIGNED_URLS = True
    return storage


def test_holder_is_redirected_to_a_signed_expiring_url(client, learner, course_tree, s3_private):
    enrolment = complete_course(learner, course_tree)
    certificate = Certificate.objects.get(enrolment=enrolment)
    assert certificate_pdf_store(certificate_id=certificate.pk)
    certificate.refresh_from_db()
    assert s3_private.exists(certificate.pdfs.get().file.name)

    client.force_login(learner)
    response = client.get(certificate.get_pdf_url())
    assert response.status_code == 302
    assert response["Cache-Control"] == "private, no-store"
    signed = urllib.parse.urlsplit(response["Location"])
    query = urllib.parse.parse_qs(signed.query)
    assert query["X-Amz-Expires"] == ["60"]
    assert "X-Amz-Signature" in query
    assert signed.path.endswith(f"/private/{certificate.pdfs.get().file.name}")

    download = urllib.request.urlopen(response["Location"], timeout=10)  # noqa: S310 - loopback
    assert download.read().startswith(b"%PDF")
    assert download.headers["Content-Type"] == "application/pdf"
    assert f"certificate-{certificate.display_code}.pdf" in download.headers["Content-Disposition"]

    # The permission checks still come first: no URL, signed or not, for anyone else.
    client.force_login(UserFactory())
    assert client.get(certificate.get_pdf_url()).status_code == 404
    client.logout()
    assert client.get(certificate.get_pdf_url()).status_code == 404
