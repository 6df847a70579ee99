"""Site structure, course content and authoring roles for the demo (idempotent)."""

from __future__ import annotations

import io
import json
from decimal import Decimal
from pathlib import Path

from django.contrib.auth.models import Group, Permission
from django.core.files.images import ImageFile
from django.utils.text import slugify
from wagtail.images.models import Image
from wagtail.models import (
    Collection,
    GroupApprovalTask,
    GroupCollectionPermission,
    GroupPagePermission,
    Page,
    Site,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)

from cms.demo.toolkit import load_toolkit
from cms.models import HomePage, StandardPage
from cms.sanitize import sanitize
from courses.models import CourseCataloguePage, CoursePage, LessonPage, ModulePage, Topic
from courses.translations import submit_translation_permission, translation_inherits_authoring

CONTENT_DIR = Path(__file__).parent / "content"
FLAGSHIP_SLUG = "international-action-local-governments"
TRAINERS = "Trainers"
COURSE_EDITORS = "Course editors"

RICH_KEYS = {"what_they_did", "result", "body"}


def read_json(name: str) -> dict:
    return json.loads((CONTENT_DIR / name).read_text(encoding="utf-8"))


def module_files() -> list[Path]:
    return sorted(CONTENT_DIR.glob("module_*.json"))


def _clean_block(block: dict) -> dict:
    """Demo HTML goes through the same sanitiser as any imported HTML."""
    value = block["value"]
    if block["type"] == "paragraph":
        value = sanitize(value)
    elif isinstance(value, dict):
        value = {k: sanitize(v) if k in RICH_KEYS else v for k, v in value.items()}
    return {"type": block["type"], "value": value}


def _publish(page: Page) -> Page:
    page.save_revision().publish()
    return page


def ensure_home() -> HomePage:
    home = HomePage.objects.first()
    if home is None:
        # Wagtail's placeholder welcome page (and the site pointing at it) make way for ours.
        Page.objects.filter(depth=2).not_type(HomePage).delete()
        root = Page.get_first_root_node()
        home = HomePage(
            title="Capacitas",
            slug="home",
            headline="Train the people who take your city to the world",
            intro=(
                "<p>Capacitas is an open learning platform for civil servants of local, "
                "metropolitan and regional governments. Learn to plan and manage your "
                "government's international action, prove it with a certificate, and help "
                "your organisation track who is ready.</p>"
            ),
            featured_heading="Courses",
        )
        root.add_child(instance=home)
        _publish(home)
    Site.objects.update_or_create(
        is_default_site=True,
        defaults={"hostname": "localhost", "port": 80, "root_page": home, "site_name": "Capacitas"},
    )
    if not StandardPage.objects.child_of(home).filter(slug="accessibility").exists():
        page = StandardPage(
            title="Accessibility statement",
            slug="accessibility",
            intro=(
                "Capacitas aims to meet the Web Content Accessibility Guidelines (WCAG) 2.1 "
                "at level AA."
            ),
            body=[
                {"type": "heading", "value": "What we do"},
                {
                    "type": "paragraph",
                    "value": (
                        "<p>Every page has a skip link, landmarks and visible focus. Images "
                        "carry alternative text, videos carry transcripts, and every page can "
                        "be used with a keyboard alone. Automated checks run on every change.</p>"
                    ),
                },
            ],
        )
        home.add_child(instance=page)
        _publish(page)
    if not StandardPage.objects.child_of(home).filter(slug="privacy").exists():
        # The footer's "Privacy notice" link (/privacy-notice/) leads to the page with this slug
        # (PRIVACY_NOTICE_SLUG); editors adapt the text to their own controller and contacts.
        page = StandardPage(
            title="Privacy notice",
            slug="privacy",
            intro=(
                "What Capacitas holds about you, why, for how long, and how to get a copy, "
                "correct it or erase it."
            ),
            body=[
                {"type": "heading", "value": "What we hold"},
                {
                    "type": "paragraph",
                    "value": (
                        "<p>Your profile (name, e-mail address, organisation, department, job "
                        "title, level of government), your enrolments and progress, your quiz "
                        "attempts with your answers, an activity log of what you did, your "
                        "certificates, and the courses your organisation's HR assigned to "
                        "you.</p>"
                    ),
                },
                {"type": "heading", "value": "Who sees it"},
                {
                    "type": "paragraph",
                    "value": (
                        "<p>You; the HR officers of your organisation, who see your training "
                        "records; the platform's administrators. Anyone holding a certificate "
                        "code can check that certificate.</p>"
                    ),
                },
                {"type": "heading", "value": "How long we keep it"},
                {
                    "type": "paragraph",
                    "value": (
                        "<p>The activity log is kept for five years; the answers of finished "
                        "quiz attempts for two years (the scores stay). Your account is kept "
                        "until you delete it.</p>"
                    ),
                },
                {"type": "heading", "value": "Your rights"},
                {
                    "type": "paragraph",
                    "value": (
                        "<p>On the My data page, reached from your profile, you can download "
                        "everything we hold about you, correct your profile and delete your "
                        "account.</p>"
                    ),
                },
            ],
        )
        home.add_child(instance=page)
        _publish(page)
    return home


def ensure_catalogue(home: HomePage) -> CourseCataloguePage:
    catalogue = CourseCataloguePage.objects.child_of(home).first()
    if catalogue is None:
        catalogue = CourseCataloguePage(
            title="Courses",
            slug="courses",
            intro="<p>Courses for civil servants who work with partners abroad.</p>",
        )
        home.add_child(instance=catalogue)
        _publish(catalogue)
    return catalogue


def _cover_image(title: str) -> Image:
    existing = Image.objects.filter(title=title).first()
    if existing:
        return existing
    from PIL import Image as PILImage
    from PIL import ImageDraw

    canvas = PILImage.new("RGB", (1280, 640), "#1f4e79")
    draw = ImageDraw.Draw(canvas)
    for i, colour in enumerate(["#2b6aa3", "#c8a951", "#3f7fb8", "#e3d49b"]):
        draw.ellipse(
            (700 + i * 90, 80 + i * 70, 1180 + i * 40, 560 - i * 30), outline=colour, width=10
        )
    draw.line((80, 520, 620, 520), fill="#c8a951", width=8)
    buffer = io.BytesIO()
    canvas.save(buffer, format="PNG")
    return Image.objects.create(
        title=title, file=ImageFile(buffer, name=f"{slugify(title)[:60]}.png")
    )


def ensure_flagship_course(catalogue: CourseCataloguePage) -> CoursePage:
    data = read_json("course.json")
    course = CoursePage.objects.filter(slug=data["slug"]).first()
    if course is None:
        course = CoursePage(
            title=data["title"],
            slug=data["slug"],
            summary=data["summary"],
            description=sanitize(data["description"]),
            learning_outcomes=[{"type": "outcome", "value": o} for o in data["learning_outcomes"]],
            audience=data["audience"],
            prerequisites=data["prerequisites"],
            estimated_hours=Decimal(str(data["estimated_hours"])),
            level=data["level"],
            language=data["language"],
            cover_image=_cover_image("Course cover: international action"),
            cover_image_alt="",
            first_lesson_preview=True,
            certificate_validity_months=24,
        )
        catalogue.add_child(instance=course)
        for name in data["topics"]:
            topic, _ = Topic.objects.get_or_create(slug=slugify(name), defaults={"name": name})
            course.topics.add(topic)
        _publish(course)
    for path in module_files():
        ensure_module(course, json.loads(path.read_text(encoding="utf-8")))
    return course


def ensure_module(course: CoursePage, data: dict) -> ModulePage:
    module = ModulePage.objects.child_of(course).filter(slug=data["slug"]).first()
    if module is None:
        module = ModulePage(title=data["title"], slug=data["slug"], summary=data["summary"])
        course.add_child(instance=module)
        _publish(module)
    for lesson_data in data["lessons"]:
        if LessonPage.objects.child_of(module).filter(slug=lesson_data["slug"]).exists():
            continue
        lesson = LessonPage(
            title=lesson_data["title"],
            slug=lesson_data["slug"],
            intro=lesson_data["intro"],
            estimated_minutes=lesson_data["estimated_minutes"],
            body=[_clean_block(block) for block in lesson_data["body"]],
        )
        module.add_child(instance=lesson)
        _publish(lesson)
    return module


def ensure_authoring(catalogue: CourseCataloguePage) -> tuple[Group, Group]:
    """Trainers draft and submit; course editors approve and publish (Wagtail workflow)."""
    trainers, _ = Group.objects.get_or_create(name=TRAINERS)
    editors, _ = Group.objects.get_or_create(name=COURSE_EDITORS)
    access_admin = Permission.objects.get(
        content_type__app_label="wagtailadmin", codename="access_admin"
    )
    snippet_perms = Permission.objects.filter(
        content_type__app_label="courses",
        codename__in=[
            "add_topic",
            "change_topic",
            "view_topic",
            "add_certificatetemplate",
            "change_certificatetemplate",
            "view_certificatetemplate",
            "view_quiz_reports",
            "add_scormpackage",
            "change_scormpackage",
            "view_scormpackage",
        ],
    )
    # Trainers and editors translate in wagtail-localize's editor ("Translate this page").
    submit_translation = submit_translation_permission()
    for group in (trainers, editors):
        group.permissions.add(access_admin, submit_translation, *snippet_perms)
    root_collection = Collection.get_first_root_node()
    for app, model in (("wagtailimages", "image"), ("wagtaildocs", "document")):
        for action in ("add", "change", "choose"):
            permission = Permission.objects.get(
                content_type__app_label=app, codename=f"{action}_{model}"
            )
            for group in (trainers, editors):
                GroupCollectionPermission.objects.get_or_create(
                    group=group, collection=root_collection, permission=permission
                )
    page_perms = {
        trainers: ["add_page", "change_page"],
        editors: ["add_page", "change_page", "publish_page", "delete_page"],
    }
    for group, codenames in page_perms.items():
        for codename in codenames:
            GroupPagePermission.objects.get_or_create(
                group=group,
                page=catalogue,
                permission=Permission.objects.get(
                    content_type__app_label="wagtailcore", codename=codename
                ),
            )
    workflow, created = Workflow.objects.get_or_create(name="Course review")
    if created:
        task = GroupApprovalTask.objects.create(name="Course editor approval")
        task.groups.set([editors])
        WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    WorkflowPage.objects.update_or_create(page=catalogue, defaults={"workflow": workflow})
    # Catalogues translated before this ran get the same groups and workflow (a translation
    # made later inherits them when it is created: courses/translations.py).
    for translated in catalogue.get_translations():
        translation_inherits_authoring(source=catalogue, translation=translated)
    return trainers, editors


def load_site() -> dict:
    home = ensure_home()
    catalogue = ensure_catalogue(home)
    course = ensure_flagship_course(catalogue)
    ensure_authoring(catalogue)
    # The toolkit links into the lessons built above, after their JSON body is loaded.
    toolkit = load_toolkit(home, course)
    return {"home": home, "catalogue": catalogue, "course": course, "toolkit": toolkit}
