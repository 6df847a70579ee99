"""Reads of the LTI room: launch targets, the deep-linking picker, framing origins, links."""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import parse_qs, urlsplit

from django.db.models import Q
from lti_tool.models import LtiRegistration
from wagtail.models import Page

from courses.selectors.catalogue import courses_published
from courses.selectors.content import is_lesson
from courses.selectors.outline import course_for_page, course_outlines
from courses.selectors.quizzes import final_assessment_id, is_quiz
from learners.lti.models import LtiGradeLink

TARGET_KINDS = ("course", "lesson", "quiz")


@dataclass(frozen=True)
class LaunchTarget:
    page: Page  # specific
    course: Page  # the course it belongs to (itself for a course)
    kind: str  # "course", "lesson" or "quiz"


def _kind(page: Page, course: Page) -> str | None:
    if page.pk == course.pk:
        return "course"
    if is_quiz(page):
        return "quiz"
    if is_lesson(page):  # SCORM lessons too
        return "lesson"
    return None


def launch_target(page_id: int | None) -> LaunchTarget | None:
    """The live course, lesson or quiz a launch points at; None for anything else."""
    if not page_id:
        return None
    page = Page.objects.live().public().filter(pk=page_id).first()
    if page is None:
        return None
    page = page.specific
    course = course_for_page(page)
    if course is None or not course.live:
        return None
    kind = _kind(page, course)
    if kind is None:
        return None
    return LaunchTarget(page=page, course=course, kind=kind)


def page_id_from_launch(custom: dict | None, target_link_uri: str | None) -> int | None:
    """The page a launch asks for: the `page_id` custom parameter, else `?page=` of the target
    link URI (what Capacitas puts in the links it returns by deep linking)."""
    raw = (custom or {}).get("page_id")
    if not raw and target_link_uri:
        raw = (parse_qs(urlsplit(target_link_uri).query).get("page") or [None])[0]
    try:
        value = int(str(raw))
    except (TypeError, ValueError):
        return None
    return value if 0 < value < 2**63 else None


def url_origin(url: str) -> str | None:
    parts = urlsplit(url or "")
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return None
    return f"{parts.scheme}://{parts.netloc}"


def registered_origins() -> list[str]:
    """Origins of the active registrations' issuers and login pages: who may frame the tool."""
    origins: set[str] = set()
    for issuer, auth_url in LtiRegistration.objects.active().values_list("issuer", "auth_url"):
        for url in (issuer, auth_url):
            origin = url_origin(url)
            if origin:
                origins.add(origin)
    return sorted(origins)


def registration_origin(registration_id: int) -> list[str]:
    registration = LtiRegistration.objects.active().filter(pk=registration_id).first()
    if registration is None:
        return []
    return sorted(
        {o for o in (url_origin(registration.issuer), url_origin(registration.auth_url)) if o}
    )


@dataclass
class PickerItem:
    id: int
    title: str
    kind: str


@dataclass
class PickerCourse:
    id: int
    title: str
    items: list[PickerItem] = field(default_factory=list)


def picker_courses() -> list[PickerCourse]:
    """Published courses with their lessons and quizzes, in outline order (cached outlines)."""
    courses = list(courses_published().defer_streamfields())
    outlines = course_outlines([course.pk for course in courses])
    result = []
    for course in courses:
        entry = PickerCourse(id=course.pk, title=course.title)
        outline = outlines.get(course.pk)
        if outline is not None:
            for module in outline.modules:
                for item in module.items:
                    entry.items.append(PickerItem(id=item.id, title=item.title, kind=item.kind))
            for item in outline.course_items:
                entry.items.append(PickerItem(id=item.id, title=item.title, kind=item.kind))
        result.append(entry)
    return result


def grade_links_for_quiz(*, user_id: int, quiz_id: int, course_id: int | None) -> list:
    """Links a quiz result goes to: those of the quiz, and of its course when it is the course's
    final assessment."""
    condition = Q(page_id=quiz_id)
    if course_id is not None and final_assessment_id(course_id) == quiz_id:
        condition |= Q(page_id=course_id)
    return list(
        LtiGradeLink.objects.filter(
            condition, account__user_id=user_id, registration__is_active=True
        )
    )


def grade_links_for_course(*, user_id: int, course_id: int) -> list:
    return list(
        LtiGradeLink.objects.filter(
            page_id=course_id, account__user_id=user_id, registration__is_active=True
        )
    )


def lti_export(user) -> list[tuple[str, bytes, str]]:
    """The learner's LTI links for their export: (file name, bytes, description)."""
    import json

    rows = [
        {
            "platform": account.issuer,
            "user_id_on_platform": account.sub,
            "linked_since": account.created_at.isoformat(),
            "last_launch": account.last_launch_at.isoformat() if account.last_launch_at else None,
            "grade_links": [
                {
                    "page": link.page_title,
                    "last_score_sent": link.last_score,
                    "last_sent_at": link.last_sent_at.isoformat() if link.last_sent_at else None,
                }
                for link in account.grade_links.all()
            ],
        }
        for account in user.lti_accounts.prefetch_related("grade_links").order_by("created_at")
    ]
    if not rows:
        return []
    content = json.dumps(rows, indent=2, ensure_ascii=False).encode()
    return [
        (
            "lti_accounts.json",
            content,
            "Learning platforms (LTI) that launched you into Capacitas: your id on each, and "
            "the scores sent back to them.",
        )
    ]
