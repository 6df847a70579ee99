"""The transcript: hours, final scores and certificates of completed courses, and its PDF."""

import io
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pypdf import PdfReader

from learners.certificates.transcript import learner_transcript_rows, render_transcript_pdf
from learners.models import Certificate
from tests.factories import UserFactory, complete_course, make_course

pytestmark = pytest.mark.django_db


def _completed(learner, *, hours="2.5", score="89.47", expires_on=None):
    tree = make_course(modules=1, lessons_per_module=1, estimated_hours=Decimal(hours))
    enrolment = complete_course(learner, tree)
    certificate = Certificate.objects.get(enrolment=enrolment)
    Certificate.objects.filter(pk=certificate.pk).update(final_score=score, expires_on=expires_on)
    certificate.refresh_from_db()
    return tree, certificate


def test_transcript_page_lists_hours_scores_and_certificates(learner_client, learner):
    tree, certificate = _completed(learner, expires_on=date(2031, 5, 4))
    _completed(learner, hours="1", score=None)  # hours frozen on its certificate
    html = learner_client.get(reverse("learn_transcript")).content.decode()
    assert tree.course.title in html
    assert "2.5 hours" in html and "1 hour<" in html
    assert "89.5\u00a0%" in html
    assert certificate.display_code in html
    assert "Valid until May 4, 2031" in html
    assert "3.5 hours" in html  # total study time
    assert reverse("learn_transcript_pdf") in html


def test_transcript_queries_do_not_grow_with_courses(learner):
    _completed(learner)
    learner_transcript_rows(learner)  # warm the site's root paths (page URLs) first
    with CaptureQueriesContext(connection) as one:
        learner_transcript_rows(learner)
    _completed(learner)
    _completed(learner)
    # Course URLs come from the cached outlines (a cold entry costs its own queries): measure
    # the transcript's queries with the cache warm, as for the first course.
    learner_transcript_rows(learner)
    with CaptureQueriesContext(connection) as three:
        rows = learner_transcript_rows(learner).rows
    assert len(rows) == 3
    assert len(three) == len(one) <= 3


def test_transcript_pdf_downloads_with_every_course(learner_client, learner):
    tree, certificate = _completed(learner, expires_on=date(2031, 5, 4))
    response = learner_client.get(reverse("learn_transcript_pdf"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    assert "no-store" in response["Cache-Control"]
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "Transcript" in text and learner.full_name in text
    assert tree.course.title in text
    # A long code may wrap inside its table cell.
    assert certificate.display_code in "".join(text.split())
    assert "89.5" in text and "2.5 hours" in text


def test_transcript_pdf_shows_only_the_learners_own_courses(client, learner):
    tree, _certificate = _completed(learner)
    other = UserFactory(full_name="Olga Other")
    client.force_login(other)
    response = client.get(reverse("learn_transcript_pdf"))
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert tree.course.title not in text and "No completed courses yet." in text


def test_transcript_pdf_requires_login(client):
    response = client.get(reverse("learn_transcript_pdf"))
    assert response.status_code == 302 and "/en/accounts/login/" in response["Location"]


def test_a_long_transcript_flows_onto_more_pages(learner):
    for _ in range(30):
        _completed(learner)
    pdf = render_transcript_pdf(
        learner_transcript_rows(learner), issuer="Capacitas", generated_on=date(2026, 12, 1)
    )
    assert len(PdfReader(io.BytesIO(pdf)).pages) >= 2


def test_transcript_pdf_prints_a_name_in_another_script(db):
    learner = UserFactory(full_name="محمد العلي")
    _completed(learner)
    pdf = render_transcript_pdf(
        learner_transcript_rows(learner), issuer="Capacitas", generated_on=date(2026, 12, 1)
    )
    assert len(PdfReader(io.BytesIO(pdf)).pages) == 1
