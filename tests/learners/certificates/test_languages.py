"""Certificates in the learner's language: PDF and verification page, one code in all."""

import io
from datetime import date
from decimal import Decimal

import pypdfium2
import pytest
import zxingcpp
from django.urls import reverse
from django.utils import translation
from pypdf import PdfReader
from wagtail.models import Locale

from learners.certificates.pdf import certificate_pdf_store
from learners.certificates.selectors import certificate_language, certificate_verify_address
from learners.models import Certificate, CertificatePdf, Enrolment
from learners.progress.services import enrolment_create
from tests.factories import UserFactory, complete_course

pytestmark = pytest.mark.django_db

SPANISH_TITLE = "Planificar la acción internacional"


@pytest.fixture
def spanish(db):
    locale, _ = Locale.objects.get_or_create(language_code="es")
    return locale


def translate_course(course, locale, title=SPANISH_TITLE):
    """A live Spanish translation of `course` (and of its parents, as wagtail-localize does)."""
    translated = course.copy_for_translation(locale, copy_parents=True)
    translated.title = title
    translated.save_revision().publish()
    return type(translated).objects.get(pk=translated.pk)


@pytest.fixture
def certificate(learner, course_tree, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        enrolment = complete_course(learner, course_tree)
    certificate = Certificate.objects.get(enrolment=enrolment)
    # Fixed facts, so the localised forms are known.
    Certificate.objects.filter(pk=certificate.pk).update(
        completed_on=date(2026, 3, 5), estimated_hours=Decimal("1.5"), final_score=Decimal("87.5")
    )
    certificate.refresh_from_db()
    CertificatePdf.objects.filter(certificate=certificate).delete()  # rendered before the update
    return certificate


def _pdf(client, certificate, language=None):
    url = certificate.get_pdf_url() + (f"?language={language}" if language else "")
    response = client.get(url)
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"] == "application/pdf"
    return b"".join(response.streaming_content)


def _text(content: bytes) -> str:
    return " ".join(PdfReader(io.BytesIO(content)).pages[0].extract_text().split())


def _qr(content: bytes) -> list[str]:
    image = pypdfium2.PdfDocument(content)[0].render(scale=3).to_pil()
    return [r.text for r in zxingcpp.read_barcodes(image)]


def test_pdf_in_both_languages_keeps_the_code_and_the_verification_address(
    client, learner, certificate, spanish
):
    translate_course(certificate.course.specific, spanish)
    client.force_login(learner)

    english = _text(_pdf(client, certificate, "en"))
    spanish_pdf = _pdf(client, certificate, "es")
    spanish_text = _text(spanish_pdf)

    assert "This is to certify that" in english
    assert "Completed on March 5, 2026" in english
    assert "1.5 hours of study" in english
    assert "Final assessment: 87.5" in english
    assert certificate.course_title in english

    assert "Se certifica que" in spanish_text
    assert "Completado el 5 de marzo de 2026" in spanish_text
    assert "1,5 horas de estudio" in spanish_text
    assert "87,5" in spanish_text
    assert SPANISH_TITLE in spanish_text  # the course's Spanish translation
    assert "This is to certify" not in spanish_text

    # One certificate: the same code and the same verification address in both.
    address = f"http://testserver/certificates/verify/{certificate.display_code}/"
    for text in (english, spanish_text):
        assert f"{certificate.display_code}" in text
        assert address in text
    assert _qr(spanish_pdf) == [address]
    assert Certificate.objects.filter(enrolment=certificate.enrolment).count() == 1
    assert sorted(certificate.pdfs.values_list("language", flat=True)) == ["en", "es"]


def test_course_without_translation_falls_back_to_the_source_title(
    client, learner, certificate, spanish
):
    client.force_login(learner)
    text = _text(_pdf(client, certificate, "es"))
    assert "Se certifica que" in text
    assert certificate.course_title in text


def test_unpublished_translation_is_not_used(client, learner, certificate, spanish):
    translated = translate_course(certificate.course.specific, spanish)
    translated.unpublish()
    client.force_login(learner)
    assert certificate.course_title in _text(_pdf(client, certificate, "es"))


def test_default_template_texts_print_in_the_language(client, learner, certificate):
    client.force_login(learner)
    assert "Certificate of completion" in _text(_pdf(client, certificate, "en"))
    spanish_text = _text(_pdf(client, certificate, "es"))
    assert "Certificado de finalización" in spanish_text
    assert "ha completado satisfactoriamente el curso" in spanish_text


def test_pdfs_are_cached_per_language_and_never_replaced(client, learner, certificate):
    client.force_login(learner)
    first = _pdf(client, certificate, "es")
    stored = certificate.pdfs.get(language="es")
    assert not certificate_pdf_store(certificate_id=certificate.pk, language="es")
    assert _pdf(client, certificate, "es") == first
    assert certificate.pdfs.get(language="es").file.name == stored.file.name
    assert certificate.pdfs.count() == 1
    _pdf(client, certificate, "en")
    assert certificate.pdfs.count() == 2


def test_unknown_language_is_a_clear_400(client, learner, certificate):
    client.force_login(learner)
    response = client.get(certificate.get_pdf_url() + "?language=xx")
    assert response.status_code == 400
    body = response.content.decode()
    assert "not available in “xx”" in body and "English" in body and "Español" in body
    assert not certificate.pdfs.exists()


def test_other_languages_stay_private(client, certificate, other_learner):
    assert client.get(certificate.get_pdf_url() + "?language=es").status_code == 404
    client.force_login(other_learner)
    assert client.get(certificate.get_pdf_url() + "?language=es").status_code == 404


# --- Which language by default ------------------------------------------------------------------
def test_enrolment_records_the_request_language(client, learner, course_tree):
    client.force_login(learner)
    # Enrolling from a page in Spanish: the URL's language (/es/… where URLs carry it), else
    # the browser's.
    with translation.override("es"):
        url = reverse("learn_enrol", args=[course_tree.course.pk])
    response = client.post(url, HTTP_ACCEPT_LANGUAGE="es")
    assert response.status_code == 302
    assert Enrolment.objects.get(user=learner).language == "es"


def test_service_keeps_only_languages_the_platform_offers(learner, course_tree):
    enrolment, _ = enrolment_create(user=learner, course=course_tree.course, language="es-AR")
    assert enrolment.language == "es"
    other = UserFactory()
    enrolment, _ = enrolment_create(user=other, course=course_tree.course, language="xx")
    assert enrolment.language == ""


def test_certificate_language_follows_profile_then_enrolment_then_default(certificate, settings):
    assert certificate_language(certificate) == settings.LANGUAGE_CODE
    Enrolment.objects.filter(pk=certificate.enrolment_id).update(language="es")
    certificate = Certificate.objects.select_related("user", "enrolment").get(pk=certificate.pk)
    assert certificate_language(certificate) == "es"
    certificate.user.language = "en"
    assert certificate_language(certificate) == "en"
    certificate.user.language = "fr"  # no longer offered: the next choice applies
    assert certificate_language(certificate) == "es"


def test_default_download_is_in_the_enrolment_language(client, learner, certificate):
    Enrolment.objects.filter(pk=certificate.enrolment_id).update(language="es")
    client.force_login(learner)
    assert "Se certifica que" in _text(_pdf(client, certificate))
    assert certificate.pdfs.get().language == "es"


def test_profile_setting_changes_the_certificate_language(client, learner, certificate):
    client.force_login(learner)
    page = client.get(reverse("profile_edit"))
    assert page.status_code == 200
    body = page.content.decode()
    assert 'name="language"' in body and "Español" in body and "Certificate language" in body
    form = page.context["form"]
    data = {
        key: value
        for key, value in form.initial.items()
        if key in form.fields and value is not None
    }
    data.update(full_name=learner.full_name, government_level="local", language="es")
    response = client.post(reverse("profile_edit"), data)
    assert response.status_code == 302, response.context["form"].errors
    learner.refresh_from_db()
    assert learner.language == "es"
    assert "Se certifica que" in _text(_pdf(client, certificate))

    page = client.get(reverse("profile_edit"))
    assert '<option value="es" selected>' in page.content.decode()

    response = client.post(reverse("profile_edit"), {**data, "language": "xx"})
    assert response.status_code == 200
    assert "language" in response.context["form"].errors
    learner.refresh_from_db()
    assert learner.language == "es"


def test_my_learning_offers_the_pdf_in_every_language(client, learner, certificate):
    client.force_login(learner)
    body = client.get(reverse("learn_dashboard")).content.decode()
    assert f'href="{certificate.get_pdf_url()}?language=es" hreflang="es"' in body
    assert f'href="{certificate.get_pdf_url()}?language=en" hreflang="en"' in body
    assert '<span lang="es">Español</span>' in body


# --- The verification page ---------------------------------------------------------------------
def _printed_path(certificate) -> str:
    """The verification address as printed (no language prefix), without the host."""
    return certificate_verify_address(certificate).removeprefix("http://testserver")


def test_verify_page_follows_the_visitors_language(client, certificate, spanish):
    translate_course(certificate.course.specific, spanish)
    english = client.get(_printed_path(certificate), HTTP_ACCEPT_LANGUAGE="en", follow=True)
    body = english.content.decode()
    assert "This certificate is genuine and valid." in body
    assert "March 5, 2026" in body
    assert certificate.course_title in body
    assert '<html lang="en"' in body

    spanish_page = client.get(_printed_path(certificate), HTTP_ACCEPT_LANGUAGE="es", follow=True)
    body = spanish_page.content.decode()
    assert "Este certificado es auténtico y válido." in body
    assert "5 de marzo de 2026" in body
    assert SPANISH_TITLE in body
    assert certificate.display_code in body
    assert '<html lang="es"' in body


def test_verify_page_without_translation_shows_the_source_title(client, certificate):
    body = client.get(
        _printed_path(certificate), HTTP_ACCEPT_LANGUAGE="es", follow=True
    ).content.decode()
    assert "Este certificado es auténtico y válido." in body
    assert certificate.course_title in body
