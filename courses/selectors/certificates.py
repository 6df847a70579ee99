"""Certificate designs and the terms a course's certificate is issued on.

Every function here costs a fixed number of queries, whatever the size of the course.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.translation import gettext, gettext_noop

from courses.models import (
    CertificateTemplate,
    CoursePage,
)
from courses.selectors.outline import course_outlines

DEFAULT_TEMPLATE_NAME = "Default certificate"

# The template's default texts (courses/models/certificates.py), for makemessages.
DEFAULT_TEXTS = (
    gettext_noop("Certificate of completion"),
    gettext_noop("has successfully completed the course"),
)


@dataclass
class CertificateDesign:
    """What a certificate PDF needs from its template; images as bytes (None when absent)."""

    heading: str
    statement: str
    issuer_name: str
    signatory_name: str
    signatory_title: str
    primary_colour: str
    accent_colour: str
    logo: bytes | None = None
    signature: bytes | None = None
    background: bytes | None = None


@dataclass(frozen=True)
class CertificateTerms:
    """What a course says about the certificates it awards."""

    course_id: int
    title: str
    estimated_hours: object  # Decimal
    validity_months: int | None
    template_id: int | None


def certificate_template_default() -> CertificateTemplate:
    """The default template; an unsaved stand-in when an administrator deleted it."""
    template = CertificateTemplate.objects.filter(is_default=True).first()
    return template or CertificateTemplate(
        name=DEFAULT_TEMPLATE_NAME,
        signatory_name="Capacitas Training Office",
        signatory_title="Programme director",
    )


def certificate_terms(course_id: int) -> CertificateTerms | None:
    course = (
        CoursePage.objects.filter(pk=course_id)
        .only(
            "id", "title", "estimated_hours", "certificate_validity_months", "certificate_template"
        )
        .first()
    )
    if course is None:
        return None
    return CertificateTerms(
        course_id=course.pk,
        title=course.title,
        estimated_hours=course.estimated_hours,
        validity_months=course.certificate_validity_months,
        template_id=course.certificate_template_id,
    )


def course_title_in(course_id: int, language: str) -> str | None:
    """The title of the course's live translation in `language` (a Wagtail locale's language
    code), or None when the course has none in that language. One query."""
    return (
        CoursePage.objects.filter(
            translation_key__in=CoursePage.objects.filter(pk=course_id).values("translation_key"),
            locale__language_code=language,
            live=True,
        )
        .values_list("title", flat=True)
        .first()
    )


def course_language(course_id: int) -> str | None:
    """The language code of the course page's own locale (None when the page is gone)."""
    return (
        CoursePage.objects.filter(pk=course_id)
        .values_list("locale__language_code", flat=True)
        .first()
    )


def certificate_template_for(template_id: int | None) -> CertificateTemplate:
    template = None
    if template_id:
        template = (
            CertificateTemplate.objects.filter(pk=template_id)
            .select_related("logo", "signature_image", "background_image")
            .first()
        )
    return template or certificate_template_default()


def _image_bytes(image) -> bytes | None:
    if image is None:
        return None
    try:
        with image.file.open("rb") as handle:
            return handle.read()
    except (OSError, ValueError):
        return None  # a missing file must not stop a certificate from being issued


def _default_text(template: CertificateTemplate, field: str) -> str:
    """The template's text; the field's default (English, shipped in the catalogues) reads in
    the active language, so an untouched default template prints in every language."""
    value = getattr(template, field)
    if value == CertificateTemplate._meta.get_field(field).default:
        return gettext(value)
    return value


def certificate_design(template_id: int | None) -> CertificateDesign:
    """What the PDF prints from the template, in the active language where the text is the
    default one (see `_default_text`)."""
    template = certificate_template_for(template_id)
    # A translatable template (wagtail-localize snippet) reads in the active language's
    # translation when it has one; `localized` is the template itself otherwise.
    template = getattr(template, "localized", template)
    return CertificateDesign(
        heading=_default_text(template, "heading"),
        statement=_default_text(template, "statement"),
        issuer_name=template.issuer_name,
        signatory_name=template.signatory_name,
        signatory_title=template.signatory_title,
        primary_colour=template.primary_colour,
        accent_colour=template.accent_colour,
        logo=_image_bytes(template.logo) if template.logo_id else None,
        signature=_image_bytes(template.signature_image) if template.signature_image_id else None,
        background=_image_bytes(template.background_image)
        if template.background_image_id
        else None,
    )


def course_urls(course_ids: Iterable[int]) -> dict[int, str]:
    """{course id: url} of live courses, from the cached outlines (see `course_outlines`)."""
    return {
        course_id: outline.course.url
        for course_id, outline in course_outlines(course_ids).items()
        if outline.course.live
    }


def courses_for_assignment() -> list[tuple[int, str]]:
    """(id, title) of every live course, for HR to assign and filter by (one query).

    A translated course is one course: only its canonical page is listed (records belong to it).
    """
    from courses.selectors.translations import canonical_only_q

    return list(
        CoursePage.objects.live()
        .filter(canonical_only_q())
        .order_by("title")
        .values_list("id", "title")
    )
