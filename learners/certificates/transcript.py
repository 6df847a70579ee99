"""The learner's transcript: every completed course with its hours, final score and certificate,
as a page and as a PDF.

It lives with the certificates because it reads them (and progress below them); the progress
room cannot look up a room above it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from fpdf import FPDF

from courses.templatetags.formats import hours_text, score_text
from learners.accounts.models import User
from learners.certificates.models import Certificate
from learners.certificates.pdf import FONT, FONT_DIR, NAME_FONTS, name_scripts
from learners.certificates.selectors import CertificateRow, learner_certificates
from learners.progress.selectors import learner_transcript


@dataclass
class TranscriptRow:
    course_title: str
    cycle: int
    enrolled_at: datetime
    completed_at: datetime
    hours: Decimal | None
    final_score: Decimal | None
    certificate: Certificate | None
    certificate_status: str


@dataclass
class Transcript:
    holder_name: str
    rows: list[TranscriptRow]
    certificate_rows: list[CertificateRow] = field(default_factory=list)

    @property
    def total_hours(self) -> Decimal:
        return sum((row.hours for row in self.rows if row.hours), Decimal(0))


def learner_transcript_rows(user: User, *, today: date | None = None) -> Transcript:
    """Completed enrolment cycles, newest first, each with its current certificate: three
    queries (the enrolments, and the two of `learner_certificates`, whose rows the page shows
    too)."""
    today = today or timezone.localdate()
    certificate_rows = learner_certificates(user, today=today)
    by_enrolment = {row.certificate.enrolment_id: row for row in certificate_rows}
    rows = []
    for enrolment in learner_transcript(user):
        row = by_enrolment.get(enrolment.pk)
        certificate = row.certificate if row else None
        rows.append(
            TranscriptRow(
                course_title=enrolment.course_title,
                cycle=enrolment.cycle,
                enrolled_at=enrolment.enrolled_at,
                completed_at=enrolment.completed_at,
                # What the certificate froze at issue: the course's hours may change later.
                hours=certificate.estimated_hours if certificate else None,
                final_score=certificate.final_score if certificate else None,
                certificate=certificate,
                certificate_status=row.status if row else "",
            )
        )
    return Transcript(
        holder_name=user.full_name or user.email,
        rows=rows,
        certificate_rows=certificate_rows,
    )


# --- PDF -----------------------------------------------------------------------------------------
PAGE_W = 210  # A4 portrait, millimetres
MARGIN = 15


def _day(value) -> str:
    if value is None:
        return "—"
    if isinstance(value, datetime):
        value = timezone.localtime(value).date()
    return date_format(value, "DATE_FORMAT")


def render_transcript_pdf(transcript: Transcript, *, issuer: str, generated_on: date) -> bytes:
    pdf = FPDF(orientation="P", unit="mm", format="A4")
    pdf.set_margins(MARGIN, MARGIN, MARGIN)
    pdf.set_auto_page_break(True, margin=MARGIN)
    pdf.add_font(FONT, "", str(FONT_DIR / "DejaVuSansLGC.ttf"))
    pdf.add_font(FONT, "B", str(FONT_DIR / "DejaVuSansLGC-Bold.ttf"))
    # The holder's name may be in a script DejaVu lacks: the certificate's name fonts stand in.
    scripts = name_scripts(transcript.holder_name)
    for script in scripts:
        font = NAME_FONTS[script]
        pdf.add_font(font.family, "B", str(FONT_DIR / font.file))
    if scripts:
        pdf.set_fallback_fonts([NAME_FONTS[script].family for script in scripts], exact_match=False)
    if any(NAME_FONTS[script].shaping for script in scripts):
        pdf.set_text_shaping(True)
    title = _("Transcript")
    pdf.set_title(f"{title} – {transcript.holder_name}")
    pdf.set_author(issuer)
    pdf.set_creator("Capacitas")
    pdf.set_lang(translation.get_language() or "en")
    pdf.add_page()

    pdf.set_font(FONT, "B", 18)
    pdf.cell(0, 10, title, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, "", 11)
    pdf.multi_cell(
        0,
        6,
        _("Courses completed by %(name)s, as recorded by %(issuer)s on %(date)s.")
        % {"name": transcript.holder_name, "issuer": issuer, "date": _day(generated_on)},
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.ln(4)
    if not transcript.rows:
        pdf.cell(0, 8, _("No completed courses yet."), new_x="LMARGIN", new_y="NEXT")
        return bytes(pdf.output())

    pdf.set_font(FONT, "", 9)
    headings = (
        _("Course"),
        _("Completed"),
        _("Hours"),
        _("Final score"),
        _("Certificate"),
        _("Valid until"),
    )
    with pdf.table(
        col_widths=(56, 26, 18, 20, 36, 24),
        text_align=("LEFT", "LEFT", "RIGHT", "RIGHT", "LEFT", "LEFT"),
        line_height=5,
        first_row_as_headings=True,
    ) as table:
        table.row(headings)
        for row in transcript.rows:
            course = row.course_title
            if row.cycle > 1:
                course += " " + _("(cycle %(n)s)") % {"n": row.cycle}
            certificate = row.certificate
            table.row(
                (
                    course,
                    _day(row.completed_at),
                    hours_text(row.hours) if row.hours is not None else "—",
                    score_text(row.final_score) if row.final_score is not None else "—",
                    certificate.display_code if certificate else "—",
                    _day(certificate.expires_on)
                    if certificate and certificate.expires_on
                    else (_("No expiry") if certificate else "—"),
                )
            )
    pdf.ln(4)
    pdf.set_font(FONT, "B", 11)
    pdf.cell(
        0,
        7,
        _("Total study time: %(hours)s") % {"hours": hours_text(transcript.total_hours)},
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.set_font(FONT, "", 8)
    pdf.multi_cell(
        0,
        4.5,
        _("Each certificate can be checked with its code on the verification page."),
        new_x="LMARGIN",
        new_y="NEXT",
    )
    return bytes(pdf.output())
