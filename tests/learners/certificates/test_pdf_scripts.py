"""Certificates print every holder's name: the text extracted back from the PDF is the name."""

from datetime import date

import pypdfium2
import pytest

from learners.certificates.pdf import (
    FONT_DIR,
    NAME_FONTS,
    CertificatePdfData,
    name_scripts,
    render_certificate_pdf,
)

NAMES = {
    "latin": ("Zoë Łukasiewicz-Ñúñez", []),
    "cyrillic": ("Анна Ковальчук", []),
    "greek": ("Ελένη Παπαδοπούλου", []),
    "arabic": ("محمد عبد الله", ["arabic"]),
    "hebrew": ("אביגיל כהן", ["hebrew"]),
    "devanagari": ("प्रिया शर्मा", ["devanagari"]),
    "chinese": ("王秀英", ["cjk"]),
    "japanese": ("山田 さくら", ["cjk"]),
    "korean": ("김민준", ["cjk"]),
    "mixed": ("Ana 李 Müller", ["cjk"]),
}


def _data(name: str) -> CertificatePdfData:
    return CertificatePdfData(
        holder_name=name,
        course_title="Planning international action",
        completed_on=date(2026, 5, 4),
        code="7K3M-Q9TD-0000-0000-0000-0000-0000",
        verify_url="http://testserver/certificates/verify/7K3M/",
        heading="Certificate of completion",
        statement="has completed the course",
        issuer_name="Capacitas",
        signatory_name="Dr Ada Example",
        signatory_title="Director",
    )


def _text(pdf: bytes) -> str:
    document = pypdfium2.PdfDocument(pdf)
    try:
        text = document[0].get_textpage().get_text_range()
    finally:
        document.close()
    # Glyphs that HarfBuzz forms from several characters (Devanagari conjuncts, the reph)
    # come back from the PDF's ToUnicode map with stray control codes beside the letters.
    return "".join(char for char in text if char >= " " or char == "\n")


@pytest.mark.parametrize("key", NAMES)
def test_scripts_are_detected(key):
    name, scripts = NAMES[key]
    assert name_scripts(name) == scripts


@pytest.mark.parametrize("key", NAMES)
def test_the_name_is_printed_and_extractable(key):
    name, _ = NAMES[key]
    lines = [line.strip() for line in _text(render_certificate_pdf(_data(name))).splitlines()]
    assert name in lines
    # The rest of the certificate keeps its font and its text.
    assert "Certificate of completion" in lines
    assert "Completed on May 4, 2026" in lines


def test_fonts_are_subsets_with_their_licence():
    for font in NAME_FONTS.values():
        assert (FONT_DIR / font.file).stat().st_size < 3_000_000
    assert "SIL OPEN FONT LICENSE" in (FONT_DIR / "Noto-LICENSE.txt").read_text()
