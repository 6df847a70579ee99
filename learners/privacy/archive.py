"""Building a learner's data export into private storage, and deleting expired ones."""

from __future__ import annotations

import io
import logging
import secrets
import zipfile
from datetime import datetime

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from learners.privacy.exports import personal_data_files, readme_text
from learners.privacy.models import DataExport, ExportStatus

logger = logging.getLogger(__name__)


def data_export_build(*, export_id: int, now: datetime | None = None) -> bool:
    """Build the ZIP of a pending export into private storage; True when it was built now."""
    now = now or timezone.now()
    export = DataExport.objects.select_related("user").filter(pk=export_id).first()
    if export is None or export.status != ExportStatus.PENDING:
        return False
    try:
        files = personal_data_files(export.user)
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("README.txt", readme_text(export.user, files, generated_at=now))
            for item in files:
                archive.writestr(item.name, item.content)
    except Exception:
        # The page tells the learner it failed and offers to try again; the log keeps why.
        logger.exception("Data export %s failed", export_id)
        DataExport.objects.filter(pk=export_id).update(status=ExportStatus.FAILED)
        return False
    with transaction.atomic():
        locked = DataExport.objects.select_for_update().get(pk=export_id)
        if locked.status != ExportStatus.PENDING:
            return False
        locked.file.save(
            f"{secrets.token_urlsafe(24)}.zip", ContentFile(buffer.getvalue()), save=False
        )
        locked.status = ExportStatus.READY
        locked.ready_at = now
        locked.size = buffer.tell()
        locked.save(update_fields=["file", "status", "ready_at", "size"])
    return True


def delete_export_files(exports) -> int:
    """Delete the files of these exports (their rows stay); how many files went."""
    count = 0
    for export in exports:
        if export.file:
            export.file.delete(save=False)
            count += 1
        DataExport.objects.filter(pk=export.pk).update(file="")
    return count
