"""Uploading SCORM packages in the Wagtail admin: what is stored on success, and nothing at all
on each refusal; the SCORM lesson as a page type of a module."""

from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from courses.models import ModulePage, ScormLessonPage, ScormPackage
from tests import scorm_packages as packages
from tests.factories import UserFactory, make_course, make_scorm_lesson, make_scorm_package

ADD = "wagtailsnippets_courses_scormpackage:add"


def stored_files() -> set[str]:
    root = Path(settings.MEDIA_ROOT) / "scorm"
    return {str(p) for p in root.rglob("*")} if root.exists() else set()


@pytest.fixture
def admin_client(client, db):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    return client


def upload(client, data: bytes, title: str = ""):
    return client.post(
        reverse(ADD),
        {
            "title": title,
            "package_file": SimpleUploadedFile("package.zip", data, "application/zip"),
        },
    )


@pytest.mark.django_db
@pytest.mark.parametrize(("version", "expected"), [("1.2", "1.2"), ("2004", "2004-4")])
def test_upload_unpacks_under_a_random_prefix(admin_client, version, expected):
    response = upload(admin_client, packages.package(version=version, title="Budget basics"))
    assert response.status_code == 302
    package = ScormPackage.objects.get()
    assert package.title == "Budget basics"  # the manifest's title when none is typed
    assert package.version == expected
    assert package.prefix.startswith("scorm/") and len(package.prefix) > 20
    assert set(package.files) == {"imsmanifest.xml", "sco1/index.html", "shared/sco.js"}
    assert default_storage.exists(f"{package.prefix}/sco1/index.html")
    assert package.scos[0]["href"] == "sco1/index.html"
    assert package.uploaded_by is not None


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "message"),
    [
        (packages.without_manifest(), "no imsmanifest.xml"),
        (packages.with_traversal(), "points outside the package"),
        (packages.with_symlink(), "symbolic link"),
        (packages.zip_bomb(), "zip bomb"),
        (packages.declared_size(), "one file may be at most"),
        (packages.bad_manifest(packages.ENTITY_MANIFEST), "DTD or entities"),
        (b"not a zip", "not a valid zip"),
    ],
    ids=["no-manifest", "traversal", "symlink", "zip-bomb", "2GB-declared", "entities", "not-zip"],
)
def test_refusals_say_why_and_store_nothing(admin_client, data, message):
    before = stored_files()
    response = upload(admin_client, data, title="Refused")
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not ScormPackage.objects.exists()
    assert stored_files() == before


@pytest.mark.django_db
def test_edit_changes_only_the_title(admin_client):
    package = make_scorm_package(title="Old")
    url = reverse("wagtailsnippets_courses_scormpackage:edit", args=[package.pk])
    page = admin_client.get(url)
    assert page.status_code == 200
    assert b"package_file" not in page.content
    assert admin_client.post(url, {"title": "New"}).status_code == 302
    package.refresh_from_db()
    assert package.title == "New"


@pytest.mark.django_db(transaction=True)
def test_deleting_a_package_removes_its_files(admin_client):
    from tests.factories import wagtail_roots

    wagtail_roots()
    package = make_scorm_package()
    path = f"{package.prefix}/sco1/index.html"
    assert default_storage.exists(path)
    url = reverse("wagtailsnippets_courses_scormpackage:delete", args=[package.pk])
    assert admin_client.post(url).status_code == 302
    assert not ScormPackage.objects.exists()
    assert not default_storage.exists(path)


@pytest.mark.django_db
def test_a_package_in_use_cannot_be_deleted(admin_client):
    tree = make_course(modules=1, lessons_per_module=1)
    package = make_scorm_package()
    make_scorm_lesson(tree.modules[0], package)
    url = reverse("wagtailsnippets_courses_scormpackage:delete", args=[package.pk])
    admin_client.post(url)
    assert ScormPackage.objects.filter(pk=package.pk).exists()
    assert default_storage.exists(f"{package.prefix}/sco1/index.html")


@pytest.mark.django_db
def test_learner_cannot_upload(client):
    client.force_login(UserFactory())
    response = upload(client, packages.package())
    assert response.status_code in (302, 403)
    assert not ScormPackage.objects.exists()


@pytest.mark.django_db
def test_trainer_with_permission_uploads(client):
    trainer = UserFactory()
    group, _ = Group.objects.get_or_create(name="Trainers")
    group.permissions.add(
        Permission.objects.get(codename="access_admin"),
        Permission.objects.get(codename="add_scormpackage"),
    )
    trainer.groups.add(group)
    client.force_login(trainer)
    assert upload(client, packages.package()).status_code == 302
    assert ScormPackage.objects.count() == 1


@pytest.mark.django_db
def test_scorm_lesson_is_a_lesson_of_a_module(admin_client):
    assert ScormLessonPage in ModulePage.allowed_subpage_models()
    tree = make_course(modules=1, lessons_per_module=1)
    response = admin_client.get(
        reverse(
            "wagtailadmin_pages:add",
            args=["courses", "scormlessonpage", tree.modules[0].pk],
        )
    )
    assert response.status_code == 200
    assert b'name="package"' in response.content
    assert b'name="body"' not in response.content
