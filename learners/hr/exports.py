"""Writing the HR table as CSV or XLSX, and the signed links to export files.

The same writers serve the small CSV streamed straight to the browser and the files the
background task builds, so both give the same rows, with formula cells neutralised.
"""

from __future__ import annotations

import csv
import io
import logging
import tempfile
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from decimal import Decimal
from typing import IO

from django.core import signing
from django.core.files import File
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from learners.accounts.selectors import is_hr_officer
from learners.common.spreadsheets import neutralise_cell
from learners.hr.matrix import (
    matrix_column_types,
    matrix_csv_chunks,
    matrix_export_rows,
    matrix_filters_parse,
    matrix_header,
    matrix_people_count,
)
from learners.hr.models import ExportJob, ExportReport, ExportStatus
from learners.hr.selectors import (
    EXPORT_COLUMN_TYPES,
    EXPORT_HEADER,
    EXPORT_TEXT_COLUMNS,
    OutOfScope,
    hr_export_rows,
    hr_filters_parse,
    hr_rows_filtered,
)
from learners.progress.models import Enrolment

logger = logging.getLogger(__name__)

# A CSV of at most this many rows streams in the request (a second or so at worst); anything
# larger, and every XLSX (openpyxl writes about 10,000 rows a second), becomes a task.
DIRECT_EXPORT_MAX_ROWS = 5_000
# How long a finished file is kept, and how long a download link stays valid once shown.
EXPORT_RETENTION = timedelta(hours=24)
DOWNLOAD_LINK_MAX_AGE = timedelta(hours=1)
# The task records its progress every this many rows (one small UPDATE each time).
PROGRESS_EVERY = 5_000
# Lines of CSV gathered before they go to the client or the file.
CSV_BATCH = 1_000

_SALT = "learners.hr.export-download"

Progress = Callable[[int], None]


_FORMULA_STARTS = frozenset("=+-@\t\r")


def _rows(rows: QuerySet[Enrolment], progress: Progress | None) -> Iterator[list]:
    written = 0
    for row in hr_export_rows(rows):
        for i in EXPORT_TEXT_COLUMNS:
            # The cheap first-character test keeps the common, harmless cell off the call.
            value = row[i]
            if value and value[0] in _FORMULA_STARTS:
                row[i] = neutralise_cell(value)
        yield row
        written += 1
        if progress is not None and written % PROGRESS_EVERY == 0:
            progress(written)
    if progress is not None:
        progress(written)


def header() -> list[str]:
    return [str(h) for h in EXPORT_HEADER]


def csv_chunks(rows: QuerySet[Enrolment], progress: Progress | None = None) -> Iterator[str]:
    """The CSV in chunks of CSV_BATCH lines, a byte-order mark first (so spreadsheet programs
    read UTF-8 names correctly): one chunk per line would cost more than the lines themselves."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    yield "\ufeff"
    writer.writerow(header())
    batch: list[list] = []
    for row in _rows(rows, progress):
        batch.append(row)
        if len(batch) == CSV_BATCH:
            writer.writerows(batch)
            batch.clear()
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    writer.writerows(batch)
    yield buffer.getvalue()


def write_csv(rows: QuerySet[Enrolment], handle: IO[bytes], progress: Progress | None = None):
    for chunk in csv_chunks(rows, progress):
        handle.write(chunk.encode("utf-8"))


# Column widths of the XLSX, in characters, by what the column holds (the header is at least
# as wide as its longest word, so "Certificate expires" is never cut).
XLSX_WIDTHS = {"text": 24, "int": 8, "percent": 12, "score": 14, "date": 13}
XLSX_WIDE_TEXT = {0: 28, 1: 32, 5: 40}  # name, e-mail, course
PERCENT_FORMAT = "0%"
SCORE_FORMAT = "0.0%"
DATE_FORMAT = "yyyy-mm-dd"


def xlsx_sheet_start(workbook: Workbook, *, title: str, header: list[str], widths: list[float]):
    """A write-only sheet with the house layout: a bold header row, frozen so it stays on screen,
    an autofilter over every column and the given widths (all set before the first row, as
    write-only mode requires)."""
    sheet = workbook.create_sheet(title=title[:31])
    for index, width in enumerate(widths, 1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(header))}1"
    bold = Font(bold=True)
    cells = []
    for title_text in header:
        cell = WriteOnlyCell(sheet, value=neutralise_cell(title_text))
        cell.font = bold
        cells.append(cell)
    sheet.append(cells)
    return sheet


def xlsx_typed_row(sheet, row: list, types) -> list:
    """One export row with typed cells: ISO dates become dates (shown as YYYY-MM-DD), a whole
    per cent and a score become fractions formatted as percentages (so 85 % sums and sorts
    as the number 0.85), empty cells stay empty."""
    cells: list = []
    for value, kind in zip(row, types, strict=True):
        if value == "" or value is None:
            cells.append(None)
        elif kind == "date":
            cell = WriteOnlyCell(sheet, value=date.fromisoformat(value))
            cell.number_format = DATE_FORMAT
            cells.append(cell)
        elif kind == "percent":
            cell = WriteOnlyCell(sheet, value=int(value) / 100)
            cell.number_format = PERCENT_FORMAT
            cells.append(cell)
        elif kind == "score":
            cell = WriteOnlyCell(sheet, value=float(Decimal(str(value)) / 100))
            cell.number_format = SCORE_FORMAT
            cells.append(cell)
        else:
            cells.append(value)
    return cells


def _table_widths(headings: list[str]) -> list[float]:
    return [
        max(XLSX_WIDE_TEXT.get(i, XLSX_WIDTHS[kind]), len(headings[i]) + 4)
        for i, kind in enumerate(EXPORT_COLUMN_TYPES)
    ]


def write_xlsx(rows: QuerySet[Enrolment], handle: IO[bytes], progress: Progress | None = None):
    """Write-only workbook: rows go straight to the file, not kept in memory."""
    workbook = Workbook(write_only=True)
    headings = header()
    sheet = xlsx_sheet_start(
        workbook, title=_("Learners"), header=headings, widths=_table_widths(headings)
    )
    for row in _rows(rows, progress):
        sheet.append(xlsx_typed_row(sheet, row, EXPORT_COLUMN_TYPES))
    workbook.save(handle)


WRITERS = {"csv": write_csv, "xlsx": write_xlsx}
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def download_token(job_id: int) -> str:
    """A link token naming the job, signed and timestamped (checked against max_age)."""
    return signing.TimestampSigner(salt=_SALT).sign(str(job_id))


def job_id_from_token(token: str) -> int | None:
    """The job a token names, or None when it is forged or older than DOWNLOAD_LINK_MAX_AGE."""
    try:
        value = signing.TimestampSigner(salt=_SALT).unsign(
            token, max_age=DOWNLOAD_LINK_MAX_AGE.total_seconds()
        )
    except signing.BadSignature:  # SignatureExpired is a BadSignature too
        return None
    return int(value) if value.isdigit() else None


def write_matrix_csv(requester, filters, handle: IO[bytes], *, today, progress=None) -> None:
    for chunk in matrix_csv_chunks(requester, filters, today=today, progress=progress):
        handle.write(chunk.encode("utf-8"))


def write_matrix_xlsx(requester, filters, handle: IO[bytes], *, today, progress=None) -> None:
    """The matrix as a typed workbook (status text, due and expiry dates as dates)."""
    courses, rows = matrix_export_rows(requester, filters, today=today)
    headings = [str(h) for h in matrix_header(courses)]
    types = matrix_column_types(courses)
    widths = [
        max(XLSX_WIDE_TEXT.get(i, XLSX_WIDTHS[kind]), min(len(headings[i]) + 2, 40))
        for i, kind in enumerate(types)
    ]
    workbook = Workbook(write_only=True)
    sheet = xlsx_sheet_start(workbook, title=_("Compliance matrix"), header=headings, widths=widths)
    written = 0
    for row in rows:
        sheet.append(xlsx_typed_row(sheet, row, types))
        written += 1
        if progress is not None and written % PROGRESS_EVERY == 0:
            progress(written)
    if progress is not None:
        progress(written)
    workbook.save(handle)


MATRIX_WRITERS = {"csv": write_matrix_csv, "xlsx": write_matrix_xlsx}


def export_job_run(*, job_id: int) -> ExportJob | None:
    """Build one export file (the background task's body).

    Scope and filters are applied now, as the requester stands now: someone who lost their HR
    role, or a filter that left their scope, gets a failed job and no file. Progress is saved
    as rows are written, outside any transaction, so the HR page sees it while the task runs.
    """
    job = ExportJob.objects.select_related("requester").filter(pk=job_id).first()
    if job is None or not job.is_pending:
        return job
    requester = job.requester
    job.status = ExportStatus.RUNNING
    job.save(update_fields=["status"])
    today = timezone.localdate()
    matrix = job.report == ExportReport.MATRIX
    try:
        if not is_hr_officer(requester):
            raise OutOfScope
        if matrix:
            filters = matrix_filters_parse(requester, job.filters)
        else:
            filters = hr_filters_parse(requester, job.filters)
    except OutOfScope:
        return _fail(job, _("This export is outside your scope now."))
    if matrix:
        total = matrix_people_count(requester, filters, today=today)
        matrix_writer = MATRIX_WRITERS[job.format]

        def write(handle, progress):
            matrix_writer(requester, filters, handle, today=today, progress=progress)
    else:
        rows = hr_rows_filtered(requester, filters, today=today)
        total = rows.count()

        def write(handle, progress):
            WRITERS[job.format](rows, handle, progress)

    ExportJob.objects.filter(pk=job.pk).update(total_rows=total)

    def progress(written: int) -> None:
        percent = min(99, written * 100 // total) if total else 99
        ExportJob.objects.filter(pk=job.pk).update(row_count=written, progress=percent)

    with tempfile.TemporaryFile() as handle:
        try:
            write(handle, progress)
        except Exception:
            logger.exception("HR export %s failed", job.pk)
            return _fail(job, _("The export could not be written; please try again."))
        handle.seek(0)
        job.refresh_from_db(fields=["row_count", "total_rows"])
        kind = "-matrix" if matrix else ""
        name = f"capacitas-hr{kind}-{timezone.localdate().isoformat()}-{job.pk}.{job.format}"
        job.file.save(name, File(handle), save=False)
    now = timezone.now()
    job.status = ExportStatus.DONE
    job.progress = 100
    job.finished_at = now
    job.expires_at = now + EXPORT_RETENTION
    job.save(update_fields=["file", "status", "progress", "finished_at", "expires_at"])
    return job


def _fail(job: ExportJob, message: str) -> ExportJob:
    job.status = ExportStatus.FAILED
    job.error = message[:255]
    job.finished_at = timezone.now()
    job.save(update_fields=["status", "error", "finished_at"])
    return job
