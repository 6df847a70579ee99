"""Certificate PDF: data in, bytes out (fpdf2 and segno, both pure Python from PyPI)."""

from __future__ import annotations

import io
import logging
import secrets
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import cache
from pathlib import Path

import segno
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import translation
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from fpdf import FPDF

from courses.selectors.certificates import certificate_design, certificate_terms
from courses.templatetags.formats import score_text
from learners.certificates.models import Certificate, CertificatePdf
from learners.certificates.selectors import (
    certificate_course_title,
    certificate_language,
    certificate_pdf_file,
    certificate_verify_address,
)
from learners.common.languages import supported_language


def certificate_pdf_data(certificate: Certificate, language: str) -> CertificatePdfData:
    """What the PDF of `certificate` prints in `language` (texts, dates and numbers in it)."""
    with translation.override(language):
        terms = certificate_terms(certificate.course_id) if certificate.course_id else None
        design = certificate_design(terms.template_id if terms else None)
    return CertificatePdfData(
        holder_name=certificate.holder_name,
        course_title=certificate_course_title(certificate, language),
        completed_on=certificate.completed_on,
        code=certificate.display_code,
        verify_url=certificate_verify_address(certificate),
        heading=design.heading,
        statement=design.statement,
        issuer_name=certificate.issuer_name,
        signatory_name=certificate.signatory_name,
        signatory_title=certificate.signatory_title,
        primary_colour=design.primary_colour,
        accent_colour=design.accent_colour,
        estimated_hours=certificate.estimated_hours,
        capstone_title=certificate.capstone_title,
        final_score=certificate.final_score,
        expires_on=certificate.expires_on,
        logo=design.logo,
        signature=design.signature,
        background=design.background,
        language=language,
    )


def certificate_pdf_store(*, certificate_id: int, language: str | None = None) -> bool:
    """Render the PDF in `language` (default: the holder's) and store it, once per language:
    a stored file is never replaced. True when a file was written now."""
    certificate = (
        Certificate.objects.filter(pk=certificate_id).select_related("user", "enrolment").first()
    )
    if certificate is None:
        return False
    language = supported_language(language) or certificate_language(certificate)
    if certificate_pdf_file(certificate, language) is not None:
        return False
    content = render_certificate_pdf(certificate_pdf_data(certificate, language))
    row = CertificatePdf(certificate=certificate, language=language)
    # Private storage already; a name unrelated to the code also keeps the file unguessable
    # for those who know the code (anyone who saw the certificate) should it ever leak.
    row.file.save(f"{secrets.token_urlsafe(24)}.pdf", ContentFile(content), save=False)
    try:
        with transaction.atomic():
            row.save()
    except IntegrityError:
        row.file.storage.delete(row.file.name)  # another worker stored this language first
        return False
    return True


# fontTools logs every subsetting step at INFO; one certificate would fill the console.
logging.getLogger("fontTools").setLevel(logging.WARNING)


FONT_DIR = Path(settings.BASE_DIR) / "static" / "fonts"


FONT = "DejaVuSans"


@dataclass(frozen=True)
class NameFont:
    """A font for holders' names in a script DejaVu Sans LGC does not cover (bold only: the
    name is the one text printed in it). See static/fonts/README.md for what each file holds."""

    family: str
    file: str
    # Arabic and Hebrew run right to left and join or reorder; Devanagari forms conjuncts and
    # reorders vowel signs: these need HarfBuzz (fpdf2's text shaping, uharfbuzz).
    shaping: bool


NAME_FONTS = {
    "arabic": NameFont("NotoSansArabic", "NotoSansArabic-Bold.ttf", shaping=True),
    "hebrew": NameFont("NotoSansHebrew", "NotoSansHebrew-Bold.ttf", shaping=True),
    "devanagari": NameFont("NotoSansDevanagari", "NotoSansDevanagari-Bold.ttf", shaping=True),
    "cjk": NameFont("NotoSansCJK", "NotoSansCJKsc-Bold-names.otf", shaping=False),
}


_SCRIPT_RANGES = (
    (
        "arabic",
        ((0x0600, 0x06FF), (0x0750, 0x077F), (0x08A0, 0x08FF), (0xFB50, 0xFDFF), (0xFE70, 0xFEFF)),
    ),
    ("hebrew", ((0x0590, 0x05FF), (0xFB1D, 0xFB4F))),
    ("devanagari", ((0x0900, 0x097F), (0xA8E0, 0xA8FF), (0x1CD0, 0x1CFF))),
    # Kana, Hangul jamo and syllables, Han (with extension A and compatibility ideographs),
    # CJK punctuation and full-width forms.
    (
        "cjk",
        (
            (0x1100, 0x11FF),
            (0x3000, 0x30FF),
            (0x3130, 0x318F),
            (0x31F0, 0x31FF),
            (0x3400, 0x4DBF),
            (0x4E00, 0x9FFF),
            (0xAC00, 0xD7AF),
            (0xF900, 0xFAFF),
            (0xFF00, 0xFFEF),
        ),
    ),
)


def char_script(char: str) -> str | None:
    """The NAME_FONTS key for a character, or None for what DejaVu Sans LGC prints."""
    point = ord(char)
    for script, ranges in _SCRIPT_RANGES:
        if any(low <= point <= high for low, high in ranges):
            return script
    return None


def name_scripts(name: str) -> list[str]:
    """The scripts of `name` that need a font of their own, the most used first."""
    counts: dict[str, int] = {}
    for char in name:
        script = char_script(char)
        if script:
            counts[script] = counts.get(script, 0) + 1
    return sorted(counts, key=lambda script: -counts[script])


PAGE_W, PAGE_H = 297, 210  # A4 landscape, millimetres


@dataclass
class CertificatePdfData:
    holder_name: str
    course_title: str
    completed_on: date
    code: str  # as shown: grouped
    verify_url: str  # absolute
    heading: str
    statement: str
    issuer_name: str
    signatory_name: str
    signatory_title: str
    primary_colour: str = "#1f4e79"
    accent_colour: str = "#c8a951"
    estimated_hours: Decimal | None = None
    capstone_title: str = ""
    final_score: Decimal | None = None
    expires_on: date | None = None
    logo: bytes | None = None
    signature: bytes | None = None
    background: bytes | None = None
    language: str = "en"  # what it prints in: texts, dates and numbers


def _rgb(colour: str) -> tuple[int, int, int]:
    colour = colour.lstrip("#")
    try:
        return int(colour[0:2], 16), int(colour[2:4], 16), int(colour[4:6], 16)
    except (ValueError, IndexError):
        return 31, 78, 121


@cache
def _default_logo() -> bytes:
    return (Path(settings.BASE_DIR) / "static" / "img" / "logo.svg").read_bytes()


def _number(value: Decimal) -> str:
    """1 decimal, none when whole, in the active language's notation ("1.5", "1,5")."""
    whole = value == value.to_integral_value()
    return number_format(value, decimal_pos=0 if whole else 1, use_l10n=True)


def _count(value: Decimal) -> int:
    # gettext's plural rules take integers; a fractional count ("1.5") reads as plural.
    return int(value) if value == value.to_integral_value() else 2


def qr_png(url: str) -> bytes:
    buffer = io.BytesIO()
    segno.make(url, error="m").save(buffer, kind="png", scale=8, border=4)
    return buffer.getvalue()


def _image(pdf: FPDF, data: bytes | None, **kwargs) -> bool:
    if not data:
        return False
    try:
        pdf.image(io.BytesIO(data), **kwargs)
    except Exception:  # noqa: BLE001 - a broken upload must not stop the certificate
        return False
    return True


def new_pdf() -> FPDF:
    pdf = FPDF(orientation="L", unit="mm", format="A4")
    pdf.set_auto_page_break(False)
    pdf.set_margins(0, 0, 0)
    pdf.add_font(FONT, "", str(FONT_DIR / "DejaVuSansLGC.ttf"))
    pdf.add_font(FONT, "B", str(FONT_DIR / "DejaVuSansLGC-Bold.ttf"))
    return pdf


def render_certificate_pdf(data: CertificatePdfData) -> bytes:
    with translation.override(data.language):
        return _render_certificate_pdf(data)


def _render_certificate_pdf(data: CertificatePdfData) -> bytes:
    primary, accent = _rgb(data.primary_colour), _rgb(data.accent_colour)
    pdf = new_pdf()
    pdf.set_title(f"{data.heading} – {data.holder_name}")
    pdf.set_author(data.issuer_name)
    pdf.set_subject(data.course_title)
    pdf.set_creator("Capacitas")
    pdf.set_lang(data.language)
    pdf.add_page()

    if not _image(pdf, data.background, x=0, y=0, w=PAGE_W, h=PAGE_H):
        pdf.set_fill_color(251, 250, 246)
        pdf.rect(0, 0, PAGE_W, PAGE_H, style="F")
    pdf.set_draw_color(*primary)
    pdf.set_line_width(2.2)
    pdf.rect(9, 9, PAGE_W - 18, PAGE_H - 18)
    pdf.set_draw_color(*accent)
    pdf.set_line_width(0.7)
    pdf.rect(13, 13, PAGE_W - 26, PAGE_H - 26)

    if not _image(pdf, data.logo, x=(PAGE_W - 40) / 2, y=20, w=40, h=18, keep_aspect_ratio=True):
        _image(pdf, _default_logo(), x=(PAGE_W - 18) / 2, y=20, w=18, h=18)

    def centred(y: float, text: str, size: float, *, bold=False, colour=(40, 40, 40), h=10):
        pdf.set_font(FONT, "B" if bold else "", size)
        pdf.set_text_color(*colour)
        pdf.set_xy(20, y)
        pdf.multi_cell(PAGE_W - 40, h, text, align="C")
        return pdf.get_y()

    centred(40, data.issuer_name.upper(), 10, colour=primary, h=6)
    centred(48, data.heading, 28, bold=True, colour=primary, h=14)
    centred(66, _("This is to certify that"), 12, h=7)
    y = _holder_name(pdf, data.holder_name, y=75)
    pdf.set_draw_color(*accent)
    pdf.set_line_width(0.6)
    pdf.line(70, y + 1, PAGE_W - 70, y + 1)
    y = centred(y + 4, data.statement, 12, h=7)
    y = centred(y + 1, data.course_title, 17, bold=True, colour=primary, h=9)
    if data.capstone_title:
        y = centred(
            y, _("including the capstone “%(title)s”") % {"title": data.capstone_title}, 11, h=6
        )

    facts = [_("Completed on %(date)s") % {"date": date_format(data.completed_on, "DATE_FORMAT")}]
    if data.estimated_hours:
        facts.append(
            ngettext(
                "%(hours)s hour of study", "%(hours)s hours of study", _count(data.estimated_hours)
            )
            % {"hours": _number(data.estimated_hours)}
        )
    if data.final_score is not None:
        facts.append(_("Final assessment: %(score)s") % {"score": score_text(data.final_score)})
    y = centred(y + 3, "  ·  ".join(facts), 11, h=6)
    if data.expires_on:
        centred(
            y,
            _("Valid until %(date)s") % {"date": date_format(data.expires_on, "DATE_FORMAT")},
            11,
            h=6,
        )

    # Signatory, bottom left.
    _image(pdf, data.signature, x=32, y=147, w=60, h=20, keep_aspect_ratio=True)
    pdf.set_draw_color(90, 90, 90)
    pdf.set_line_width(0.3)
    pdf.line(30, 168, 110, 168)
    pdf.set_xy(30, 170)
    pdf.set_font(FONT, "B", 11)
    pdf.set_text_color(30, 30, 30)
    pdf.multi_cell(80, 5.5, data.signatory_name, align="L")
    pdf.set_x(30)
    pdf.set_font(FONT, "", 9)
    pdf.multi_cell(80, 4.5, data.signatory_title, align="L")

    # Verification, bottom right: QR, code and the address in text.
    qr_size = 34
    qr_x, qr_y = PAGE_W - 30 - qr_size, 144
    pdf.image(io.BytesIO(qr_png(data.verify_url)), x=qr_x, y=qr_y, w=qr_size, h=qr_size)
    text_x = 114
    text_w = qr_x - 4 - text_x
    pdf.set_text_color(60, 60, 60)
    pdf.set_font(FONT, "", 7.5)
    pdf.set_xy(text_x, 160)
    pdf.multi_cell(text_w, 4.2, _("Check this certificate at"), align="R")
    pdf.set_x(text_x)
    pdf.multi_cell(text_w, 4.2, data.verify_url, align="R")
    pdf.set_x(text_x)
    pdf.set_font(FONT, "B", 9)
    pdf.multi_cell(text_w, 5, _("Code: %(code)s") % {"code": data.code}, align="R")
    return bytes(pdf.output())


def _holder_name(pdf: FPDF, name: str, *, y: float) -> float:
    """Print the name in the font of its script (the rest of the certificate keeps DejaVu),
    with the other scripts it mixes in as fallbacks; returns the y below it."""
    scripts = name_scripts(name)
    family = FONT
    for script in scripts:
        font = NAME_FONTS[script]
        pdf.add_font(font.family, "B", str(FONT_DIR / font.file))
    if scripts:
        family = NAME_FONTS[scripts[0]].family
        # Latin letters and other scripts mixed into the name come from the other fonts.
        others = [NAME_FONTS[script].family for script in scripts[1:]]
        pdf.set_fallback_fonts([*others, FONT], exact_match=False)
    shaping = any(NAME_FONTS[script].shaping for script in scripts)
    if shaping:
        pdf.set_text_shaping(True)
    pdf.set_font(family, "B", 26)
    pdf.set_text_color(20, 20, 20)
    pdf.set_xy(20, y)
    pdf.multi_cell(PAGE_W - 40, 13, name, align="C")
    if shaping:
        pdf.set_text_shaping(False)
    if scripts:
        pdf.set_fallback_fonts([])
    return pdf.get_y()


def render_plain_pdf(text: str) -> bytes:
    """One page with one line: the baseline the benchmark compares certificates against."""
    pdf = FPDF(orientation="L", unit="mm", format="A4")
    pdf.add_font(FONT, "", str(FONT_DIR / "DejaVuSansLGC.ttf"))
    pdf.add_page()
    pdf.set_font(FONT, "", 12)
    pdf.set_xy(20, 20)
    pdf.cell(0, 10, text)
    return bytes(pdf.output())
