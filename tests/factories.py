"""Shared factories. Pages are built through Wagtail's tree API so paths stay valid."""

from __future__ import annotations

from dataclasses import dataclass, field

import factory
from allauth.account.models import EmailAddress
from wagtail.models import Collection, Locale, Page, Site

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


def wagtail_roots() -> Page:
    """The rows Wagtail's migrations create; transactional (browser) tests flush them away."""
    locale, _ = Locale.objects.get_or_create(language_code="en")
    if Collection.get_first_root_node() is None:
        Collection.add_root(name="Root")
    root = Page.get_first_root_node()
    if root is None:
        root = Page.add_root(title="Root", slug="root", locale=locale)
    return root


def home_page() -> HomePage:
    home = HomePage.objects.first()
    if home is None:
        root = wagtail_roots()
        Page.objects.filter(depth=2).not_type(HomePage).delete()
        home = HomePage(title="Home", slug="home")
        root.add_child(instance=home)
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


# --- Quizzes -------------------------------------------------------------------------------------
# Texts carry markers so tests can scan learner HTML for anything that would give answers away.
def quiz_question(i: int, kind: str | None = None) -> dict:
    """Question `i` as StreamField data; kinds cycle through every question type."""
    kinds = ["single_choice", "multiple_choice", "true_false", "short_text", "matching"]
    kind = kind or kinds[i % len(kinds)]
    value: dict = {
        "text": f"Question {i}: which is right?",
        "points": 1 + i % 2,
        "explanation": f"EXPLANATION-{i} because of the lesson.",
    }
    if kind in ("single_choice", "multiple_choice"):
        value["choices"] = [
            {"text": f"Option {i}.A", "correct": True, "feedback": f"FEEDBACK-{i}-A"},
            {"text": f"Option {i}.B", "correct": kind == "multiple_choice", "feedback": ""},
            {"text": f"Option {i}.C", "correct": False, "feedback": f"FEEDBACK-{i}-C"},
        ]
        if kind == "multiple_choice":
            value["scoring"] = "partial"
    elif kind == "true_false":
        value["correct"] = "true"
        value["feedback_true"] = f"FEEDBACK-{i}-TRUE"
        value["feedback_false"] = f"FEEDBACK-{i}-FALSE"
    elif kind == "short_text":
        value["accepted_answers"] = [f"Accepted Réponse {i}", f"ALTERNATIVE-{i}"]
    elif kind == "matching":
        value["pairs"] = [
            {"prompt": f"Prompt {i}.{k}", "match": f"Match {i}.{k}"} for k in range(3)
        ]
    return {"type": kind, "value": value}


def make_quiz(parent: Page, *, questions: int = 5, question_data=None, **fields):
    """A published quiz with `questions` questions of every type (or the given data)."""
    from courses.models import QuizPage

    _counter["course"] += 1
    quiz = QuizPage(
        title=fields.pop("title", f"Quiz {_counter['course']}"),
        slug=f"quiz-{_counter['course']}",
        questions=question_data or [quiz_question(i) for i in range(questions)],
        **fields,
    )
    parent.add_child(instance=quiz)
    _publish(quiz)
    return quiz


def correct_form(snapshot: list[dict]) -> dict[str, list[str]]:
    """Form data that answers every question of an attempt correctly."""
    data: dict[str, list[str]] = {}
    for q in snapshot:
        name = f"q-{q['id']}"
        if q["type"] in ("single_choice", "true_false", "multiple_choice"):
            data[name] = [c["id"] for c in q["choices"] if c["correct"]]
        elif q["type"] == "short_text":
            data[name] = [q["accepted"][0]]
        elif q["type"] == "matching":
            for pair in q["pairs"]:
                data[f"{name}-{pair['id']}"] = [pair["answer"]]
    return data


def wrong_form(snapshot: list[dict]) -> dict[str, list[str]]:
    """Form data that answers every question wrongly."""
    data: dict[str, list[str]] = {}
    for q in snapshot:
        name = f"q-{q['id']}"
        if q["type"] in ("single_choice", "true_false", "multiple_choice"):
            data[name] = [next(c["id"] for c in q["choices"] if not c["correct"])]
        elif q["type"] == "short_text":
            data[name] = ["nonsense"]
        elif q["type"] == "matching":
            options = [o["id"] for o in q["options"]]
            for pair in q["pairs"]:
                data[f"{name}-{pair['id']}"] = [next(o for o in options if o != pair["answer"])]
    return data


# --- Certificates ------------------------------------------------------------------------------
def complete_course(user: User, tree: CourseTree):
    """Enrol `user` and complete every lesson through the services; returns the enrolment."""
    from learners.progress.services import enrolment_create, lesson_complete

    enrolment, _ = enrolment_create(user=user, course=tree.course)
    for lesson in tree.lessons:
        lesson_complete(user=user, enrolment=enrolment, lesson=lesson)
    enrolment.refresh_from_db()
    return enrolment


# --- HR area ------------------------------------------------------------------------------------
class HROfficerRoleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "learners.HROfficerRole"

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)


def make_certificate(enrolment, *, expires_on=None, issued_at=None, **fields):
    """A certificate row for a completed enrolment (the certificates area issues real ones)."""
    import secrets

    from django.utils import timezone

    from learners.models import Certificate

    return Certificate.objects.create(
        user=enrolment.user,
        enrolment=enrolment,
        course_id=enrolment.course_id,
        code=secrets.token_hex(8),
        holder_name=enrolment.user.full_name,
        course_title=enrolment.course_title,
        completed_on=(enrolment.completed_at or timezone.now()).date(),
        issuer_name="Capacitas",
        issued_at=issued_at or timezone.now(),
        expires_on=expires_on,
        **fields,
    )


# Transactional tests (journey, concurrency) call it by this name.
ensure_wagtail_root = wagtail_roots


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


# --- Workbooks -----------------------------------------------------------------------------------
def workbook_sections(seed_lesson_id: int | None = None) -> list[dict]:
    """Two sections using every kind of field, as StreamField data with fixed block ids."""
    return [
        {
            "type": "section",
            "id": "sec-diagnosis",
            "value": {
                "heading": "Diagnosis",
                "instructions": "<p>Describe your <b>assets</b>.</p>",
                "fields": [
                    {
                        "type": "long_text",
                        "id": "fld-assets",
                        "value": {
                            "label": "Assets and existing ties",
                            "help_text": "",
                            "max_length": 500,
                            "seed_from_lesson": seed_lesson_id,
                        },
                    },
                    {
                        "type": "table",
                        "id": "fld-ties",
                        "value": {
                            "label": "Existing ties",
                            "help_text": "",
                            "columns": ["Partner", "Since"],
                            "max_rows": 3,
                        },
                    },
                    {
                        "type": "choice",
                        "id": "fld-priorities",
                        "value": {
                            "label": "Priorities",
                            "help_text": "",
                            "choices": ["Climate", "Trade", "Culture"],
                            "multiple": True,
                        },
                    },
                ],
            },
        },
        {
            "type": "section",
            "id": "sec-partners",
            "value": {
                "heading": "Partners",
                "instructions": "",
                "fields": [
                    {
                        "type": "scored_matrix",
                        "id": "fld-scoring",
                        "value": {
                            "label": "Partner scoring",
                            "help_text": "",
                            "row_label": "Partner",
                            "criteria": [
                                {"name": "Fit", "weight": 2},
                                {"name": "Cost", "weight": 1},
                            ],
                            "max_rows": 3,
                        },
                    },
                    {
                        "type": "grid",
                        "id": "fld-stakeholders",
                        "value": {
                            "label": "Stakeholder map",
                            "help_text": "",
                            "x_axis": "Interest",
                            "y_axis": "Influence",
                            "max_length": 300,
                        },
                    },
                    {
                        "type": "indicator_table",
                        "id": "fld-indicators",
                        "value": {"label": "Indicators", "help_text": "", "max_rows": 2},
                    },
                ],
            },
        },
    ]


WORKBOOK_RUBRIC = [
    {
        "type": "criterion",
        "id": "crit-evidence",
        "value": {
            "name": "Evidence",
            "description": "",
            "levels": [
                {"label": "Weak", "points": 0, "description": ""},
                {"label": "Sound", "points": 2, "description": ""},
                {"label": "Strong", "points": 4, "description": ""},
            ],
        },
    },
    {
        "type": "criterion",
        "id": "crit-feasibility",
        "value": {
            "name": "Feasibility",
            "description": "",
            "levels": [
                {"label": "Unclear", "points": 0, "description": ""},
                {"label": "Realistic", "points": 4, "description": ""},
            ],
        },
    },
]


def make_workbook(course: Page, *, seed_lesson_id: int | None = None, **fields):
    """A published workbook page under `course`, with two sections and a two-criterion rubric."""
    from courses.models import WorkbookPage

    _counter["course"] += 1
    page = WorkbookPage(
        title=fields.pop("title", f"Action plan {_counter['course']}"),
        slug=f"workbook-{_counter['course']}",
        sections=workbook_sections(seed_lesson_id),
        rubric=WORKBOOK_RUBRIC,
        **fields,
    )
    course.add_child(instance=page)
    _publish(page)
    return page


def translate(page: Page, language: str = "es", **fields) -> Page:
    """A published translation of `page` (and of its untranslated parents), as Wagtail copies
    it for translation; `fields` set on the copy (a Spanish title, slug…)."""
    locale, _ = Locale.objects.get_or_create(language_code=language)
    existing = page.get_translation_or_none(locale)
    if existing is None:
        for ancestor in page.get_ancestors().filter(depth__gt=1).specific():
            if ancestor.get_translation_or_none(locale) is None:
                _publish(ancestor.copy_for_translation(locale))
        existing = page.specific.copy_for_translation(locale)
    existing = existing.specific
    for name, value in fields.items():
        setattr(existing, name, value)
    existing.set_url_path(existing.get_parent())
    existing.save()
    return _publish(existing).specific


# --- SCORM ---------------------------------------------------------------------------------------
def make_scorm_package(data: bytes | None = None, *, title: str = "Test package"):
    """A package validated and unpacked the way the admin upload does it."""
    import io

    from courses.models import ScormPackage
    from courses.scorm.storage import new_prefix, package_extract
    from courses.scorm.validation import package_validate
    from tests import scorm_packages

    data = data if data is not None else scorm_packages.package()
    validated = package_validate(io.BytesIO(data), size=len(data))
    prefix = new_prefix()
    files = package_extract(io.BytesIO(data), validated, prefix=prefix)
    return ScormPackage.objects.create(
        title=title,
        version=validated.manifest.version,
        manifest_identifier=validated.manifest.identifier,
        prefix=prefix,
        tree=validated.manifest.as_tree(),
        files=files,
        total_bytes=validated.total_bytes,
    )


def make_scorm_lesson(module: Page, package, *, title: str = "SCORM lesson", slug: str = "scorm"):
    from courses.models import ScormLessonPage

    lesson = ScormLessonPage(
        title=title, slug=slug, estimated_minutes=20, body=[], package=package, player_height=500
    )
    module.add_child(instance=lesson)
    _publish(lesson)
    return lesson
