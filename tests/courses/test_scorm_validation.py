"""The checks on an uploaded SCORM zip (courses/scorm/validation.py, manifest.py): each refusal
with its message, and what a valid package yields."""

import io

import pytest

from courses.scorm.manifest import PackageRefused, Version
from courses.scorm.validation import Limits, package_validate
from tests import scorm_packages as packages


def validate(data: bytes, **limits):
    return package_validate(io.BytesIO(data), size=len(data), limits=Limits(**limits))


def refusal(data: bytes, **limits) -> str:
    with pytest.raises(PackageRefused) as caught:
        validate(data, **limits)
    return caught.value.message


def test_scorm_12_package_is_read():
    result = validate(packages.package(version="1.2", title="Budgets"))
    assert result.manifest.version == Version.SCORM_12
    assert result.manifest.title == "Budgets"
    [sco] = result.manifest.scos
    assert sco.href == "sco1/index.html"
    assert sco.mastery_score == 70
    assert {m.name for m in result.members} == {
        "imsmanifest.xml",
        "sco1/index.html",
        "shared/sco.js",
    }


@pytest.mark.parametrize(
    ("edition", "version"), [(3, Version.SCORM_2004_3), (4, Version.SCORM_2004_4)]
)
def test_scorm_2004_editions_are_told_apart(edition, version):
    assert validate(packages.package(version="2004", edition=edition)).manifest.version == version


def test_multi_sco_package_keeps_its_tree():
    manifest = validate(packages.package(version="2004", scos=3)).manifest
    assert [item.identifier for item in manifest.scos] == ["item1", "item2", "item3"]
    tree = manifest.as_tree()
    assert [item["title"] for item in tree] == ["Part 1", "Part 2", "Part 3"]


def test_no_manifest_is_refused():
    assert "imsmanifest.xml" in refusal(packages.without_manifest())


@pytest.mark.parametrize(
    "name", ["../evil.html", "/etc/evil.html", "a/../../evil.html", "C:/x.html", "a\\..\\b.html"]
)
def test_traversal_and_absolute_paths_are_refused(name):
    assert "outside the package" in refusal(packages.with_traversal(name))


def test_symlink_is_refused():
    assert "symbolic link" in refusal(packages.with_symlink())


def test_zip_bomb_is_refused_by_its_ratio():
    assert "zip bomb" in refusal(packages.zip_bomb())


def test_two_gigabytes_declared_is_refused():
    message = refusal(packages.declared_size())
    assert "2048 MB" in message or "unpacks to more than" in message


def test_total_size_limit():
    data = packages.package()
    assert "unpacks to more than" in refusal(data, max_total_bytes=1000)


def test_file_count_limit():
    assert "at most 2 files" in refusal(packages.package(), max_files=2)


def test_upload_size_limit():
    assert "at most" in refusal(packages.package(), max_upload_bytes=100)


def test_not_a_zip():
    assert "not a valid zip" in refusal(b"this is not a zip")


def test_entities_are_not_expanded():
    assert "DTD or entities" in refusal(packages.bad_manifest(packages.ENTITY_MANIFEST))


def test_malformed_xml():
    assert "not well-formed" in refusal(packages.bad_manifest("<manifest><oops></manifest>"))


def test_package_without_sco_is_refused():
    assert "no launchable SCO" in refusal(packages.bad_manifest(packages.NO_SCO_MANIFEST))


def test_launch_file_missing_is_refused():
    manifest = packages.NO_SCO_MANIFEST.replace('scormtype="asset"', 'scormtype="sco"').replace(
        'href="index.html"', 'href="missing.html"'
    )
    assert "not in the zip" in refusal(packages.bad_manifest(manifest))


def test_unknown_schema_version_is_refused():
    manifest = packages.NO_SCO_MANIFEST.replace("<schemaversion>1.2", "<schemaversion>9.9")
    assert "9.9" in refusal(packages.bad_manifest(manifest))
