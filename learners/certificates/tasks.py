"""Background work of certificates (django-tasks; immediate in dev and tests, db_worker in prod)."""

from django_tasks import task


@task()
def certificate_render(certificate_id: int, language: str | None = None) -> bool:
    """Render and store a certificate's PDF in `language` (default: the holder's) once;
    True when a file was written now."""
    from learners.certificates.pdf import certificate_pdf_store

    return certificate_pdf_store(certificate_id=certificate_id, language=language)
