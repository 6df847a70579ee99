"""Reading `imsmanifest.xml`: the SCORM version, the organisation tree and the launchable SCOs.

Pure: bytes in, a `Manifest` (or `PackageRefused`) out. The XML is parsed with defusedxml, so a
DTD, an entity declaration or an external reference is refused rather than expanded.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass, field
from urllib.parse import unquote, urlsplit

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring
from django.utils.translation import gettext as _

MANIFEST_NAME = "imsmanifest.xml"


class PackageRefused(ValueError):
    """The package cannot be used; `message` says why, in words a trainer understands."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class Version:
    SCORM_12 = "1.2"
    SCORM_2004_2 = "2004-2"
    SCORM_2004_3 = "2004-3"
    SCORM_2004_4 = "2004-4"


def is_2004(version: str) -> bool:
    return version.startswith("2004")


@dataclass
class Item:
    """One entry of the organisation tree. `href` is set for items that launch something."""

    identifier: str
    title: str
    href: str = ""
    sco: bool = False
    mastery_score: float | None = None
    launch_data: str = ""
    children: list[Item] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            "identifier": self.identifier,
            "title": self.title,
            "href": self.href,
            "sco": self.sco,
            "mastery_score": self.mastery_score,
            "launch_data": self.launch_data,
            "children": [child.as_dict() for child in self.children],
        }


@dataclass
class Manifest:
    version: str
    title: str
    identifier: str
    items: list[Item]

    @property
    def scos(self) -> list[Item]:
        return [item for item in walk(self.items) if item.sco and item.href]

    def as_tree(self) -> list[dict]:
        return [item.as_dict() for item in self.items]


def walk(items: list[Item]):
    for item in items:
        yield item
        yield from walk(item.children)


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _children(element, name: str) -> list:
    return [child for child in element if _local(child.tag) == name]


def _child(element, name: str):
    found = _children(element, name)
    return found[0] if found else None


def _attr(element, name: str) -> str:
    """An attribute by its local name, whatever its namespace (adlcp:scormtype, scormType…)."""
    for key, value in element.attrib.items():
        if _local(key).lower() == name.lower():
            return value.strip()
    return ""


def _text(element) -> str:
    return "".join(element.itertext()).strip() if element is not None else ""


def _version(root) -> str:
    metadata = _child(root, "metadata")
    schemaversion = _text(_child(metadata, "schemaversion")) if metadata is not None else ""
    lowered = schemaversion.lower()
    if lowered == "1.2":
        return Version.SCORM_12
    if "4th" in lowered:
        return Version.SCORM_2004_4
    if "3rd" in lowered:
        return Version.SCORM_2004_3
    if lowered in ("cam 1.3", "2004 2nd edition"):
        return Version.SCORM_2004_2
    if schemaversion:
        raise PackageRefused(
            _("The manifest declares schema version “%(version)s”, which is not SCORM 1.2 or 2004.")
            % {"version": schemaversion[:60]}
        )
    # No <schemaversion>: the namespaces of the adlcp extension tell the versions apart.
    namespaces = " ".join(
        [root.tag, *(str(key) for element in root.iter() for key in element.attrib)]
    )
    if "adlcp_rootv1p2" in namespaces:
        return Version.SCORM_12
    if "adlcp_v1p3" in namespaces:
        return Version.SCORM_2004_3
    raise PackageRefused(_("The manifest does not say which SCORM version the package follows."))


def _join(base: str, href: str) -> str:
    """A resource's href resolved against its xml:base, as a path inside the package."""
    parts = urlsplit(href)
    if parts.scheme or parts.netloc:
        raise PackageRefused(
            _("The package launches “%(href)s”, which is outside the package.") % {"href": href}
        )
    path = unquote(parts.path)
    joined = posixpath.normpath(posixpath.join(base, path)) if path else ""
    if joined.startswith(("../", "/")) or joined == "..":
        raise PackageRefused(
            _("The package launches “%(href)s”, which is outside the package.") % {"href": href}
        )
    return joined + (f"?{parts.query}" if parts.query else "")


def _xml_base(element) -> str:
    for key, value in element.attrib.items():
        if key.endswith("}base") or key == "xml:base":
            return value.strip()
    return ""


def manifest_parse(data: bytes, *, names: set[str]) -> Manifest:
    """Parse `imsmanifest.xml`; `names` are the files of the package, to check the launch files.

    Raises `PackageRefused` with a clear message when the package cannot be launched.
    """
    try:
        root = fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as error:
        raise PackageRefused(
            _("imsmanifest.xml declares a DTD or entities, which are not accepted.")
        ) from error
    except Exception as error:  # ParseError and its kin: the XML is not well formed
        raise PackageRefused(
            _("imsmanifest.xml is not well-formed XML: %(error)s") % {"error": str(error)[:200]}
        ) from error
    if _local(root.tag) != "manifest":
        raise PackageRefused(_("imsmanifest.xml does not start with a <manifest> element."))
    version = _version(root)

    resources_element = _child(root, "resources")
    base_all = _xml_base(resources_element) if resources_element is not None else ""
    resources: dict[str, tuple[str, bool]] = {}
    for resource in (
        _children(resources_element, "resource") if resources_element is not None else []
    ):
        identifier = _attr(resource, "identifier")
        href = _attr(resource, "href")
        kind = _attr(resource, "scormtype") or _attr(resource, "scormType")
        base = posixpath.join(base_all, _xml_base(resource))
        resources[identifier] = (_join(base, href) if href else "", kind.lower() == "sco")

    organizations = _child(root, "organizations")
    if organizations is None or not _children(organizations, "organization"):
        raise PackageRefused(_("The manifest has no organisation (no table of contents)."))
    default_id = _attr(organizations, "default")
    candidates = _children(organizations, "organization")
    organisation = next(
        (o for o in candidates if _attr(o, "identifier") == default_id), candidates[0]
    )

    def build(element, depth: int) -> Item:
        if depth > 20:
            raise PackageRefused(_("The organisation tree is nested more than 20 levels deep."))
        ref = _attr(element, "identifierref")
        href, sco = "", False
        if ref:
            if ref not in resources:
                raise PackageRefused(
                    _("The item “%(item)s” points at a resource “%(ref)s” that is not declared.")
                    % {"item": _attr(element, "identifier"), "ref": ref}
                )
            href, sco = resources[ref]
            parameters = _attr(element, "parameters")
            if href and parameters:
                href += ("&" if "?" in href else "?") + parameters.lstrip("?&")
        if href and href.split("?", 1)[0] not in names:
            raise PackageRefused(
                _("The package launches “%(href)s”, but that file is not in the zip.")
                % {"href": href.split("?", 1)[0]}
            )
        mastery = _text(_child(element, "masteryscore"))
        try:
            mastery_score = float(mastery) if mastery else None
        except ValueError:
            mastery_score = None
        return Item(
            identifier=_attr(element, "identifier"),
            title=_text(_child(element, "title")) or _attr(element, "identifier"),
            href=href,
            sco=sco,
            mastery_score=mastery_score,
            launch_data=_text(_child(element, "datafromlms")),
            children=[build(child, depth + 1) for child in _children(element, "item")],
        )

    items = [build(element, 1) for element in _children(organisation, "item")]
    manifest = Manifest(
        version=version,
        title=_text(_child(organisation, "title")),
        identifier=_attr(root, "identifier"),
        items=items,
    )
    if not manifest.scos:
        raise PackageRefused(
            _("The package has no launchable SCO: no item points at a resource of type “sco”.")
        )
    return manifest


def walk_dicts(items: list[dict]):
    """The items of a stored tree (`Manifest.as_tree()`), depth first."""
    for item in items:
        yield item
        yield from walk_dicts(item.get("children") or [])
