"""The HR exports carry progress, best score, certificate code and expiry, and the XLSX is typed:
dates are dates, percentages numbers with a % format, a bold frozen header with an autofilter."""

import csv
import io
from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from learners.attempts.services import attempt_start, attempt_submit
from learners.certificates.codes import format_code
from learners.hr.exports import download_token
from learners.hr.models import ExportJob, ExportStatus
from learners.models import LessonProgress, QuizAttempt
from learners.progress.services import enrolment_create
from tests.factories import correct_form, make_certificate, make_course, make_quiz, wrong_form

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _tasks_run_at_commit(monkeypatch):
    """Test transactions never commit: run the export task at once, as the immediate backend
    does just after a real commit."""
    monkeypatch.setattr(
        "django.db.transaction.on_commit", lambda func, using=None, robust=False: func()
    )


@pytest.fixture
def record(people):
    """Ana: three of four lessons done, best final score 89.47 %, a certificate expiring in a
    year. Bea: enrolled, nothing done, no attempt, no certificate."""
    tree = make_course(modules=2, lessons_per_module=2, title="Open data")
    final = make_quiz(tree.course, title="Final", questions=3, required_for_completion=True)
    module_quiz = make_quiz(tree.modules[0], title="Check", questions=3)
    ana, _created = enrolment_create(user=people["a"], course=tree.course)
    enrolment_create(user=people["b"], course=tree.course)
    now = timezone.now()
    for lesson in tree.lessons[:3]:
        LessonProgress.objects.create(
            enrolment=ana, lesson=lesson, lesson_title=lesson.title, completed_at=now
        )
    for form in (wrong_form, correct_form):
        attempt = attempt_start(user=people["a"], quiz=final)
        attempt_submit(user=people["a"], attempt=attempt, data=form(attempt.snapshot))
    QuizAttempt.objects.filter(quiz=final, percent=100).update(percent=Decimal("89.47"))
    # A module quiz scored higher does not count: the best score is the final assessment's.
    attempt = attempt_start(user=people["a"], quiz=module_quiz)
    attempt_submit(user=people["a"], attempt=attempt, data=correct_form(attempt.snapshot))
    ana.completed_at = now
    ana.save(update_fields=["completed_at"])
    expires = timezone.localdate() + timedelta(days=365)
    certificate = make_certificate(ana, expires_on=expires)
    return {"certificate": certificate, "expires": expires, "tree": tree}


def _csv(client, query=""):
    response = client.get("/en/hr/export.csv" + query)
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def _xlsx(client):
    assert client.post("/en/hr/exports/", {"format": "xlsx"}).status_code == 302
    job = ExportJob.objects.get(format="xlsx")
    assert job.status == ExportStatus.DONE
    response = client.get(reverse("hr_export_download", args=[download_token(job.pk)]))
    return load_workbook(io.BytesIO(b"".join(response.streaming_content)))


def test_csv_has_progress_best_score_code_and_expiry(client, officer_metro, record):
    client.force_login(officer_metro)
    rows = _csv(client)
    header = rows[0]
    by_name = {row[0]: dict(zip(header, row, strict=True)) for row in rows[1:]}
    ana, bea = by_name["Ana A"], by_name["Bea B"]
    assert ana["Progress (%)"] == "75"
    assert ana["Best score (%)"] == "89.5"
    assert ana["Certificate code"] == format_code(record["certificate"].code)
    assert ana["Certificate expires"] == record["expires"].isoformat()
    assert ana["Status"] == "Certified"
    assert (bea["Progress (%)"], bea["Best score (%)"], bea["Certificate code"]) == ("0", "", "")


def test_xlsx_cells_are_typed_and_the_sheet_is_laid_out(client, officer_metro, record):
    client.force_login(officer_metro)
    workbook = _xlsx(client)
    sheet = workbook.active
    header = [cell.value for cell in sheet[1]]
    assert header == _csv(client)[0]
    # Bold header, frozen under it, an autofilter over every column, widths set.
    assert all(cell.font.b for cell in sheet[1])
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == f"A1:{sheet.cell(1, len(header)).column_letter}1"
    col = {title: index + 1 for index, title in enumerate(header)}
    for title in header:
        width = sheet.column_dimensions[sheet.cell(1, col[title]).column_letter].width
        assert width >= len(title), title
    rows = {sheet.cell(r, 1).value: r for r in range(2, sheet.max_row + 1)}
    ana = rows["Ana A"]

    def cell(title, row=ana):
        return sheet.cell(row, col[title])

    for title in ("Enrolled", "Completed", "Certificate expires"):
        assert isinstance(cell(title).value, datetime), title
        assert cell(title).number_format == "yyyy-mm-dd"
    assert cell("Certificate expires").value.date() == record["expires"]
    assert cell("Completed").value.date() == timezone.localdate()
    assert cell("Progress (%)").value == pytest.approx(0.75)
    assert cell("Progress (%)").number_format == "0%"
    # One decimal, as every page shows it (89.47 reads 89.5 %).
    assert cell("Best score (%)").value == pytest.approx(0.895)
    assert cell("Best score (%)").number_format == "0.0%"
    assert cell("Cycle").value == 1 and cell("Cycle").data_type == "n"
    assert cell("Certificate code").value == format_code(record["certificate"].code)
    # Empty stays empty, not "" or 0.
    bea = rows["Bea B"]
    assert cell("Best score (%)", bea).value is None
    assert cell("Completed", bea).value is None
    assert cell("Progress (%)", bea).value == 0


def test_progress_counts_only_live_lessons(client, officer_metro, record):
    """A lesson unpublished after Ana completed it no longer counts, as on her dashboard."""
    record["tree"].lessons[0].unpublish()  # the outline cache follows the publishing signals
    client.force_login(officer_metro)
    rows = _csv(client)
    ana = dict(zip(rows[0], next(r for r in rows if r[0] == "Ana A"), strict=True))
    assert ana["Progress (%)"] == "66"


def test_export_dates_are_iso_in_csv(client, officer_metro, record):
    client.force_login(officer_metro)
    rows = _csv(client)
    ana = dict(zip(rows[0], next(r for r in rows if r[0] == "Ana A"), strict=True))
    assert date.fromisoformat(ana["Enrolled"]) == timezone.localdate()
