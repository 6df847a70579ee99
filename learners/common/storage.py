"""Private files (certificate PDFs, exports): stored apart from public media, handed out only
by views that have checked who is asking.

Locally they sit under PRIVATE_MEDIA_ROOT, which no web server serves, and the view streams
them. On object storage (AWS_STORAGE_BUCKET_NAME) the view redirects to a signed URL that
expires after AWS_QUERYSTRING_EXPIRE seconds, so the bytes never pass through a web worker.
"""

from __future__ import annotations

from django.conf import settings
from django.core.files.storage import Storage, storages
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, HttpResponse, HttpResponseRedirect


def private_storage() -> Storage:
    # A callable, so a FileField's migrations do not freeze one environment's storage.
    return storages["private"]


def private_file_response(file: FieldFile, *, filename: str, content_type: str) -> HttpResponse:
    """The download of a private file, after the caller's permission checks."""
    if getattr(settings, "PRIVATE_STORAGE_SIGNED_URLS", False):
        disposition = f'attachment; filename="{filename}"'
        response = HttpResponseRedirect(
            file.storage.url(
                file.name,
                parameters={
                    "ResponseContentDisposition": disposition,
                    "ResponseContentType": content_type,
                },
            )
        )
    else:
        response = FileResponse(
            file.open("rb"), content_type=content_type, as_attachment=True, filename=filename
        )
    # A signed URL is a bearer credential until it expires: no cache may keep it or the file.
    response["Cache-Control"] = "private, no-store"
    return response
