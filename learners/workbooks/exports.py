"""The learner's plan as a PDF (fpdf2, DejaVu fonts) and as an editable DOCX (python-docx).

Both read the displayed structure (`display.display_sections`), the same the page shows, so an
export of a submitted version reads its snapshot and survives changes to the workbook page.
Learner text goes in as text, never as markup.
"""

from __future__ import annotations

import io
import logging
from pathlib import Path

from django.conf import settings
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import strip_tags
from django.utils.translation import gettext as _
from fpdf import FPDF
from fpdf.fonts import FontFace

from learners.workbooks.display import display_sections
from learners.workbooks.models import Workbook, WorkbookSubmission

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
FONT = "DejaVuSans"
FONT_DIR = Path(settings.BASE_DIR) / "static" / "fonts"
PRIMARY = (31, 78, 121)
MUTED = (90, 90, 90)

logging.getLogger("fontTools").setLevel(logging.WARNING)


def _subtitle(workbook: Workbook, submission: WorkbookSubmission | None) -> str:
    who = workbook.user.full_name or workbook.user.email
    if submission is not None:
        return _("%(who)s · version %(n)d, %(status)s, submitted %(when)s") % {
            "who": who,
            "n": submission.number,
            "status": submission.get_status_display().lower(),
            "when": date_format(timezone.localtime(submission.submitted_at), "DATE_FORMAT"),
        }
    when = workbook.saved_at or timezone.now()
    return _("%(who)s · draft saved %(when)s") % {
        "who": who,
        "when": date_format(timezone.localtime(when), "DATE_FORMAT"),
    }


def _field_table(field: dict) -> tuple[list[str], list[list[str]]] | None:
    """A tabular field as (header, rows) of text; None for the other kinds."""
    kind = field["type"]
    if kind in ("table", "indicator_table"):
        rows = [[c["value"] for c in row["cells"]] for row in field["rows"]]
        return list(field["columns"]), rows
    if kind == "scored_matrix":
        header = [field["row_label"]] + [f"{c['name']} (×{c['weight']})" for c in field["criteria"]]
        header.append(_("Total"))
        rows = [
            [row["name"]]
            + ["" if s["value"] is None else str(s["value"]) for s in row["scores"]]
            + [f"{row['total']} / {field['max_total']}"]
            for row in field["rows"]
        ]
        return header, rows
    if kind == "grid":
        return [_("Quarter"), _("Who and why")], [
            [q["label"], q["value"]] for q in field["quadrants"]
        ]
    return None


class _PlanPDF(FPDF):
    footer_text = ""

    def footer(self):
        self.set_y(-12)
        self.set_font(FONT, "", 8)
        self.set_text_color(*MUTED)
        self.cell(0, 6, f"{self.footer_text} · {self.page_no()}/{{nb}}", align="C")


def workbook_pdf_bytes(
    *, workbook: Workbook, spec: dict, answers: dict, submission: WorkbookSubmission | None
) -> bytes:
    pdf = _PlanPDF(unit="mm", format="A4")
    pdf.add_font(FONT, "", str(FONT_DIR / "DejaVuSansLGC.ttf"))
    pdf.add_font(FONT, "B", str(FONT_DIR / "DejaVuSansLGC-Bold.ttf"))
    pdf.set_margins(20, 20, 20)
    pdf.set_auto_page_break(True, margin=18)
    pdf.footer_text = workbook.page_title
    pdf.set_title(workbook.page_title)
    pdf.set_author(workbook.user.full_name or workbook.user.email)
    pdf.set_creator("Capacitas")
    pdf.add_page()
    width = pdf.epw

    pdf.set_fill_color(*PRIMARY)
    pdf.rect(0, 0, pdf.w, 8, style="F")
    pdf.set_font(FONT, "B", 20)
    pdf.set_text_color(*PRIMARY)
    pdf.multi_cell(width, 9, workbook.page_title)
    pdf.set_font(FONT, "", 10)
    pdf.set_text_color(*MUTED)
    pdf.multi_cell(width, 6, _subtitle(workbook, submission))
    pdf.ln(4)

    for number, section in enumerate(display_sections(spec, answers, pad=False), start=1):
        pdf.set_font(FONT, "B", 14)
        pdf.set_text_color(*PRIMARY)
        pdf.multi_cell(width, 8, f"{number}. {section['heading']}")
        pdf.set_draw_color(*PRIMARY)
        pdf.line(pdf.l_margin, pdf.get_y(), pdf.l_margin + width, pdf.get_y())
        pdf.ln(2)
        if submission is not None and (note := submission.section_feedback.get(section["id"])):
            pdf.set_font(FONT, "B", 9)
            pdf.set_text_color(*MUTED)
            pdf.multi_cell(width, 5, _("Reviewer's feedback: ") + note)
            pdf.ln(1)
        for field in section["fields"]:
            pdf.set_font(FONT, "B", 11)
            pdf.set_text_color(40, 40, 40)
            pdf.multi_cell(width, 6, field["label"])
            pdf.set_font(FONT, "", 10)
            table = _field_table(field)
            if table is not None:
                header, rows = table
                if rows:
                    with pdf.table(
                        headings_style=FontFace(emphasis="BOLD", fill_color=(232, 238, 245)),
                        line_height=5,
                        text_align="LEFT",
                    ) as grid:
                        row = grid.row()
                        for title in header:
                            row.cell(title)
                        for values in rows:
                            row = grid.row()
                            for value in values:
                                row.cell(value)
                else:
                    pdf.set_text_color(*MUTED)
                    pdf.multi_cell(width, 5, _("No answer."))
            elif field["type"] == "choice":
                text = "\n".join(f"• {c}" for c in field["picked"]) or _("No answer.")
                pdf.multi_cell(width, 5, text)
            else:
                pdf.multi_cell(width, 5, field.get("value") or _("No answer."))
            pdf.ln(3)
        pdf.ln(2)
    return bytes(pdf.output())


def workbook_docx_bytes(
    *, workbook: Workbook, spec: dict, answers: dict, submission: WorkbookSubmission | None
) -> bytes:
    from docx import Document
    from docx.shared import Pt, RGBColor

    document = Document()
    document.core_properties.title = workbook.page_title
    document.core_properties.author = workbook.user.full_name or workbook.user.email
    document.styles["Normal"].font.size = Pt(11)
    document.add_heading(workbook.page_title, level=0)
    subtitle = document.add_paragraph(_subtitle(workbook, submission))
    subtitle.runs[0].font.color.rgb = RGBColor(90, 90, 90)
    for number, section in enumerate(display_sections(spec, answers, pad=False), start=1):
        document.add_heading(f"{number}. {section['heading']}", level=1)
        if section.get("instructions"):
            hint = document.add_paragraph(strip_tags(section["instructions"]).strip())
            hint.runs[0].italic = True
        if submission is not None and (note := submission.section_feedback.get(section["id"])):
            document.add_paragraph(_("Reviewer's feedback: ") + note, style="Intense Quote")
        for field in section["fields"]:
            document.add_heading(field["label"], level=2)
            table = _field_table(field)
            if table is not None:
                header, rows = table
                grid = document.add_table(rows=1, cols=len(header))
                grid.style = "Table Grid"
                for cell, title in zip(grid.rows[0].cells, header, strict=True):
                    cell.text = title
                    for run in cell.paragraphs[0].runs:
                        run.bold = True
                for values in rows:
                    cells = grid.add_row().cells
                    for cell, value in zip(cells, values, strict=True):
                        cell.text = value
            elif field["type"] == "choice":
                for choice in field["picked"]:
                    document.add_paragraph(choice, style="List Bullet")
            else:
                for paragraph in (field.get("value") or "").split("\n\n"):
                    document.add_paragraph(paragraph)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
