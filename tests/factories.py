"""Shared factories. Pages are built through Wagtail's tree API so paths stay valid."""

from __future__ import annotations

from dataclasses import dataclass, field

import factory
from allauth.account.models import EmailAddress
from wagtail.models import Page, Site

from cms.models import HomePage
from courses.models import CourseCataloguePage, CoursePage, LessonPage, ModulePage
from learners.models import Department, GovernmentLevel, Organisation, User

PASSWORD = "correct horse battery staple"


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Municipality {n}")
    country = "Spain"
    level = GovernmentLevel.LOCAL


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Department {n}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    full_name = factory.Sequence(lambda n: f"Person {n}")
    organisation = factory.SubFactory(OrganisationFactory)
    government_level = GovernmentLevel.LOCAL

    @factory.post_generation
    def password(self, create, extracted, **kwargs):
        self.set_password(extracted or PASSWORD)
        if create:
            self.save(update_fields=["password"])
            EmailAddress.objects.get_or_create(
                user=self, email=self.email, defaults={"verified": True, "primary": True}
            )


def _publish(page: Page) -> Page:
    page.save_revision().publish()
    page.refresh_from_db()
    return page


def home_page() -> HomePage:
    home = HomePage.objects.first()
    if home is None:
        Page.objects.filter(depth=2).not_type(HomePage).delete()
        home = HomePage(title="Home", slug="home")
        Page.get_first_root_node().add_child(instance=home)
        _publish(home)
        Site.objects.update_or_create(
            is_default_site=True,
            defaults={"hostname": "localhost", "port": 80, "root_page": home},
        )
    return home


def catalogue_page() -> CourseCataloguePage:
    catalogue = CourseCataloguePage.objects.first()
    if catalogue is None:
        catalogue = CourseCataloguePage(title="Courses", slug="courses")
        home_page().add_child(instance=catalogue)
        _publish(catalogue)
    return catalogue


LESSON_BODY = [
    {"type": "heading", "value": {"text": "Why it matters", "level": "h2"}},
    {"type": "paragraph", "value": "<p>Cities act abroad to serve their residents.</p>"},
    {"type": "callout", "value": {"kind": "tip", "title": "Tip", "body": "<p>Start small.</p>"}},
    {"type": "takeaways", "value": {"title": "Key takeaways", "items": ["One", "Two"]}},
]


@dataclass
class CourseTree:
    course: CoursePage
    modules: list[ModulePage] = field(default_factory=list)
    lessons: list[LessonPage] = field(default_factory=list)


_counter = {"course": 0}


def make_course(
    *, modules: int = 2, lessons_per_module: int = 2, title: str | None = None, **course_fields
) -> CourseTree:
    """A published course with `modules` x `lessons_per_module` published lessons."""
    _counter["course"] += 1
    n = _counter["course"]
    course = CoursePage(
        title=title or f"Course {n}",
        slug=f"course-{n}",
        summary="A course for testing.",
        **course_fields,
    )
    catalogue_page().add_child(instance=course)
    _publish(course)
    tree = CourseTree(course=course)
    for m in range(modules):
        module = ModulePage(title=f"Module {m + 1}", slug=f"module-{m + 1}")
        course.add_child(instance=module)
        _publish(module)
        tree.modules.append(module)
        for i in range(lessons_per_module):
            lesson = LessonPage(
                title=f"Lesson {m + 1}.{i + 1}",
                slug=f"lesson-{m + 1}-{i + 1}",
                estimated_minutes=10,
                body=LESSON_BODY,
            )
            module.add_child(instance=lesson)
            _publish(lesson)
            tree.lessons.append(lesson)
    tree.course.refresh_from_db()
    return tree


# --- Media (foundation tests) -------------------------------------------------------------------
def make_image(title: str = "Test image", *, size: tuple[int, int] = (64, 48)):
    """A Wagtail image from a small PNG drawn with Pillow (no files on disk needed)."""
    import io

    from django.core.files.images import ImageFile
    from PIL import Image as PILImage
    from wagtail.images.models import Image

    buffer = io.BytesIO()
    PILImage.new("RGB", size, "#1f4e79").save(buffer, format="PNG")
    return Image.objects.create(title=title, file=ImageFile(buffer, name="test-image.png"))


def make_document(title: str = "Test handout"):
    from django.core.files.base import ContentFile
    from wagtail.documents.models import Document

    return Document.objects.create(
        title=title, file=ContentFile(b"%PDF-1.4\n% test\n", name="handout.pdf")
    )
