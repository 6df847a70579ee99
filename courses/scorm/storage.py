"""Extraction of a validated package to media storage (the default storage: local files or S3)
under a random prefix, and its removal. Learners reach the files only through the enrolment
check of `learners.scorm.views.content`, which looks each path up in the package's file list.
"""

from __future__ import annotations

import secrets
import zipfile
from typing import BinaryIO

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils.translation import gettext as _

from courses.scorm.manifest import PackageRefused
from courses.scorm.validation import ValidatedPackage

PREFIX_ROOT = "scorm"
CHUNK = 1024 * 1024


def new_prefix() -> str:
    return f"{PREFIX_ROOT}/{secrets.token_urlsafe(18)}"


def _read_capped(archive: zipfile.ZipFile, name: str, limit: int) -> bytes:
    """A member's bytes; more than its declared size means the directory lied: refuse."""
    chunks, read = [], 0
    with archive.open(name) as handle:
        while chunk := handle.read(CHUNK):
            read += len(chunk)
            if read > limit:
                raise PackageRefused(
                    _("“%(name)s” unpacks to more than the zip declares; refused.")
                    % {"name": name[:200]}
                )
            chunks.append(chunk)
    return b"".join(chunks)


def package_extract(upload: BinaryIO, package: ValidatedPackage, *, prefix: str) -> list[str]:
    """Write every file of the package under `prefix`; on any failure remove what was written.

    Returns the package's file names (relative to the prefix).
    """
    written: list[str] = []
    try:
        upload.seek(0)
        with zipfile.ZipFile(upload) as archive:
            for member in package.members:
                data = _read_capped(archive, member.name, member.size)
                target = f"{prefix}/{member.name}"
                saved = default_storage.save(target, ContentFile(data))
                written.append(saved)
                if saved != target:
                    raise PackageRefused(
                        _("“%(name)s” could not be stored under its own name.")
                        % {"name": member.name[:200]}
                    )
    except (zipfile.BadZipFile, OSError, EOFError, ValueError) as error:
        package_files_delete(written)
        if isinstance(error, PackageRefused):
            raise
        raise PackageRefused(_("The zip could not be unpacked: it is damaged.")) from error
    except Exception:
        package_files_delete(written)
        raise
    return [member.name for member in package.members]


def package_files_delete(paths: list[str]) -> None:
    for path in paths:
        try:
            default_storage.delete(path)
        except OSError:
            continue
