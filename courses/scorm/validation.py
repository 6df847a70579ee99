"""Checks on an uploaded SCORM zip before anything is stored.

Pure: a file object in, a `ValidatedPackage` (or `PackageRefused` with a clear message) out.
Every check reads the zip's central directory only, except the manifest, which is read with a
size cap; extraction (`courses.scorm.storage`) counts the bytes again as it writes them.
"""

from __future__ import annotations

import stat
import zipfile
from dataclasses import dataclass
from typing import BinaryIO

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from courses.scorm.manifest import MANIFEST_NAME, Manifest, PackageRefused, manifest_parse

MB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    max_upload_bytes: int = 200 * MB  # the zip itself
    max_total_bytes: int = 1024 * MB  # everything it unpacks to
    max_file_bytes: int = 512 * MB  # any one file
    max_files: int = 5000
    max_ratio: int = 100  # uncompressed / compressed, for the whole zip and for each file
    max_manifest_bytes: int = 2 * MB


@dataclass(frozen=True)
class Member:
    name: str
    size: int


@dataclass(frozen=True)
class ValidatedPackage:
    manifest: Manifest
    members: list[Member]

    @property
    def total_bytes(self) -> int:
        return sum(member.size for member in self.members)


def _human(size: int) -> str:
    return f"{size / MB:.0f} MB" if size >= MB else f"{size} B"


def _unsafe_name(name: str) -> bool:
    if not name or "\x00" in name or "\\" in name:
        return True
    if name.startswith("/") or (len(name) > 1 and name[1] == ":"):
        return True  # absolute, or a Windows drive letter
    return any(part in ("..", ".") for part in name.rstrip("/").split("/"))


def package_validate(
    upload: BinaryIO, *, size: int, limits: Limits | None = None
) -> ValidatedPackage:
    """Validate a SCORM zip of `size` bytes; raises `PackageRefused` saying what is wrong."""
    limits = limits or Limits()
    if size > limits.max_upload_bytes:
        raise PackageRefused(
            _("The zip is %(size)s; packages may be at most %(limit)s.")
            % {"size": _human(size), "limit": _human(limits.max_upload_bytes)}
        )
    try:
        archive = zipfile.ZipFile(upload)
        infos = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError) as error:
        raise PackageRefused(_("The file is not a valid zip archive.")) from error
    files = [info for info in infos if not info.is_dir()]
    if len(files) > limits.max_files:
        raise PackageRefused(
            ngettext(
                "The zip holds %(count)d files; a package may hold at most %(limit)d file.",
                "The zip holds %(count)d files; a package may hold at most %(limit)d files.",
                limits.max_files,
            )
            % {"count": len(files), "limit": limits.max_files}
        )
    seen: set[str] = set()
    total = 0
    compressed = 0
    for info in infos:
        name = info.filename
        if _unsafe_name(name):
            raise PackageRefused(
                _("The zip contains the path “%(name)s”, which points outside the package.")
                % {"name": name[:200]}
            )
        mode = info.external_attr >> 16
        if info.create_system == 3 and stat.S_ISLNK(mode):
            raise PackageRefused(
                _("The zip contains a symbolic link, “%(name)s”; links are not accepted.")
                % {"name": name[:200]}
            )
        if info.flag_bits & 0x1:
            raise PackageRefused(
                _("The zip contains an encrypted file, “%(name)s”.") % {"name": name[:200]}
            )
        if info.is_dir():
            continue
        if name.casefold() in seen:
            raise PackageRefused(_("The zip contains “%(name)s” twice.") % {"name": name[:200]})
        seen.add(name.casefold())
        if info.file_size > limits.max_file_bytes:
            raise PackageRefused(
                _("“%(name)s” unpacks to %(size)s; one file may be at most %(limit)s.")
                % {
                    "name": name[:200],
                    "size": _human(info.file_size),
                    "limit": _human(limits.max_file_bytes),
                }
            )
        if info.file_size > max(info.compress_size, 1) * limits.max_ratio and info.file_size > MB:
            raise PackageRefused(
                _(
                    "“%(name)s” is compressed more than %(ratio)d to 1, as a zip bomb is; "
                    "the package is refused."
                )
                % {"name": name[:200], "ratio": limits.max_ratio}
            )
        total += info.file_size
        compressed += info.compress_size
        if total > limits.max_total_bytes:
            raise PackageRefused(
                _("The zip unpacks to more than %(limit)s, the most a package may take.")
                % {"limit": _human(limits.max_total_bytes)}
            )
    if total > MB and total > max(compressed, 1) * limits.max_ratio:
        raise PackageRefused(
            _("The zip is compressed more than %(ratio)d to 1, as a zip bomb is; it is refused.")
            % {"ratio": limits.max_ratio}
        )
    names = {info.filename for info in files}
    if MANIFEST_NAME not in names:
        raise PackageRefused(
            _("The zip has no imsmanifest.xml at its top level, so it is not a SCORM package.")
        )
    manifest_info = archive.getinfo(MANIFEST_NAME)
    if manifest_info.file_size > limits.max_manifest_bytes:
        raise PackageRefused(
            _("imsmanifest.xml is larger than %(limit)s.")
            % {"limit": _human(limits.max_manifest_bytes)}
        )
    try:
        with archive.open(manifest_info) as handle:
            data = handle.read(limits.max_manifest_bytes + 1)
    except (zipfile.BadZipFile, OSError, EOFError, ValueError) as error:
        raise PackageRefused(_("imsmanifest.xml cannot be read from the zip.")) from error
    manifest = manifest_parse(data, names=names)
    return ValidatedPackage(
        manifest=manifest,
        members=[Member(name=info.filename, size=info.file_size) for info in files],
    )
