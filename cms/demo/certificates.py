"""Demo certificates: a short second course, and the demo learner's valid and expired ones."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from cms.demo.site import _publish
from courses.models import CourseCataloguePage, CoursePage, LessonPage, ModulePage
from courses.selectors.outline import course_outline
from learners.certificates.rules import certificate_expiry
from learners.certificates.services import certificate_issue
from learners.models import Certificate, Enrolment, LessonProgress, User
from learners.progress.services import enrolment_create, lesson_complete

NETWORKS_SLUG = "working-with-city-networks"


def _lesson(title, slug, intro, paragraphs, takeaways, minutes=10):
    body = []
    for heading, text in paragraphs:
        body.append({"type": "heading", "value": {"text": heading, "level": "h2"}})
        body.append({"type": "paragraph", "value": f"<p>{text}</p>"})
    body.append({"type": "takeaways", "value": {"title": "Key takeaways", "items": takeaways}})
    return {"title": title, "slug": slug, "intro": intro, "minutes": minutes, "body": body}


NETWORKS_MODULES = [
    (
        "Why cities join networks",
        "why-networks",
        "What a city network offers a local government and what it asks in return.",
        [
            _lesson(
                "What a city network is",
                "what-a-network-is",
                "The shapes city networks take and what holds them together.",
                [
                    (
                        "Many cities, one agenda",
                        "A city network is a standing association of local governments that "
                        "work together on a shared agenda: climate, culture, migration, "
                        "economic development or good governance. Some are worldwide, others "
                        "regional; some accept any local government, others only capitals or "
                        "large metropolitan areas.",
                    ),
                    (
                        "What keeps a network alive",
                        "Members pay a fee or contribute staff time, and in exchange expect "
                        "knowledge, visibility and a collective voice. A network stays useful "
                        "while its members keep bringing problems to it and taking solutions "
                        "home.",
                    ),
                ],
                [
                    "A network is a lasting association around a shared agenda.",
                    "Membership is an exchange: contributions for knowledge and voice.",
                ],
            ),
            _lesson(
                "Choosing the networks that serve you",
                "choosing-networks",
                "A short test to decide whether to join, stay in or leave a network.",
                [
                    (
                        "Start from your priorities",
                        "List the three or four priorities of your local government's plan. "
                        "For each network you know, note which priority it helps with and who "
                        "in your administration would take part. A network nobody attends is "
                        "a fee without a return.",
                    ),
                    (
                        "Review every year",
                        "Once a year, ask each department what the network gave them: a "
                        "contact, a method, funding, a joint position. Keep the memberships "
                        "that answer well and be ready to leave the others.",
                    ),
                ],
                [
                    "Tie every membership to a priority of your own plan.",
                    "Review the return of each membership once a year.",
                ],
            ),
        ],
    ),
    (
        "Taking part well",
        "taking-part",
        "How to turn membership into results for your territory.",
        [
            _lesson(
                "Bringing the network home",
                "bringing-it-home",
                "How what is learnt in a network reaches the departments that need it.",
                [
                    (
                        "A named contact per network",
                        "Give each membership a named contact who attends, reports back in "
                        "writing and passes contacts on to colleagues. Short notes after each "
                        "meeting reach more people than long reports.",
                    ),
                    (
                        "Share what you learn",
                        "Invite colleagues from the departments concerned to working groups, "
                        "and present one idea from the network at a management meeting each "
                        "quarter.",
                    ),
                ],
                [
                    "Name one contact per network and ask for short written notes.",
                    "Bring colleagues from the departments concerned into the work.",
                ],
            ),
            _lesson(
                "Giving back to the network",
                "giving-back",
                "Why contributing your own experience strengthens your position.",
                [
                    (
                        "Offer a case",
                        "Networks value members who share what worked and what did not. "
                        "Offering your own case, even a modest one, gives your city a voice in "
                        "the network's positions and makes others more willing to help you.",
                    ),
                    (
                        "Host when it makes sense",
                        "Hosting a working group or a peer visit is a good way to show local "
                        "stakeholders the value of international action, provided it serves a "
                        "priority and the cost is known in advance.",
                    ),
                ],
                [
                    "Sharing your own cases earns influence inside the network.",
                    "Host meetings only when they serve a priority and the cost is clear.",
                ],
            ),
        ],
    ),
]


def ensure_networks_course(catalogue: CourseCataloguePage) -> CoursePage:
    course = CoursePage.objects.filter(slug=NETWORKS_SLUG).first()
    if course is None:
        course = CoursePage(
            title="Working with city networks: a short introduction",
            slug=NETWORKS_SLUG,
            summary=(
                "A short course on choosing the city networks that serve your local "
                "government and taking part in them well."
            ),
            estimated_hours=Decimal("1.5"),
            certificate_validity_months=12,
            first_lesson_preview=True,
        )
        catalogue.add_child(instance=course)
        _publish(course)
    for title, slug, summary, lessons in NETWORKS_MODULES:
        module = ModulePage.objects.child_of(course).filter(slug=slug).first()
        if module is None:
            module = ModulePage(title=title, slug=slug, summary=summary)
            course.add_child(instance=module)
            _publish(module)
        for data in lessons:
            if LessonPage.objects.child_of(module).filter(slug=data["slug"]).exists():
                continue
            lesson = LessonPage(
                title=data["title"],
                slug=data["slug"],
                intro=data["intro"],
                estimated_minutes=data["minutes"],
                body=data["body"],
            )
            module.add_child(instance=lesson)
            _publish(lesson)
    return course


def _backdate_certificate(
    certificate: Certificate, enrolment: Enrolment, *, days_ago: int, months: int | None
) -> None:
    """Move a freshly issued certificate (and its cycle) into the past, before its PDF renders."""
    completed = timezone.now() - timedelta(days=days_ago)
    Enrolment.objects.filter(pk=enrolment.pk).update(
        enrolled_at=completed - timedelta(days=20), completed_at=completed
    )
    LessonProgress.objects.filter(enrolment=enrolment).update(
        first_viewed_at=completed - timedelta(days=10),
        last_viewed_at=completed,
        completed_at=completed,
    )
    completed_on = timezone.localdate(completed)
    Certificate.objects.filter(pk=certificate.pk).update(
        completed_on=completed_on,
        issued_at=completed,
        expires_on=certificate_expiry(completed_on, months),
    )


def _complete_all(user: User, course: CoursePage, enrolment: Enrolment) -> None:
    lessons = {page.pk: page for page in course.get_descendants().live().specific()}
    for item in course_outline(course).lessons:
        lesson_complete(user=user, enrolment=enrolment, lesson=lessons[item.id])


def ensure_valid_certificate(learner: User, course: CoursePage) -> None:
    if Certificate.objects.filter(user=learner, course=course).exists():
        return
    enrolment, _ = enrolment_create(user=learner, course=course)
    _complete_all(learner, course, enrolment)
    enrolment.refresh_from_db()
    certificate, _ = certificate_issue(enrolment=enrolment)
    # About three months ago.
    _backdate_certificate(
        certificate, enrolment, days_ago=91, months=course.certificate_validity_months
    )


def ensure_expired_certificate(learner: User, flagship: CoursePage) -> None:
    """An earlier, archived flagship cycle completed 27 months ago; its certificate expired."""
    if Certificate.objects.filter(user=learner, course=flagship).exists():
        return
    now = timezone.now()
    current = Enrolment.objects.filter(
        user=learner, course=flagship, archived_at__isnull=True
    ).first()
    if current is not None and current.cycle == 1:
        # The cycle in progress becomes the second one; the completed one slots in before it.
        Enrolment.objects.filter(pk=current.pk).update(cycle=2)
    earlier = Enrolment.objects.create(
        user=learner,
        course=flagship,
        course_title=flagship.title,
        cycle=1,
        archived_at=now,  # archived at once: only one current cycle per course
    )
    for item in course_outline(flagship).lessons:
        LessonProgress.objects.create(
            enrolment=earlier, lesson_id=item.id, lesson_title=item.title, completed_at=now
        )
    Enrolment.objects.filter(pk=earlier.pk).update(completed_at=now)
    earlier.refresh_from_db()
    certificate, _ = certificate_issue(enrolment=earlier)
    _backdate_certificate(
        certificate, earlier, days_ago=27 * 30 + 12, months=flagship.certificate_validity_months
    )
    Enrolment.objects.filter(pk=earlier.pk).update(
        archived_at=current.enrolled_at if current else now
    )


def load_certificates(site: dict, people: dict) -> dict:
    ensure_template_signature()
    networks = ensure_networks_course(site["catalogue"])
    learner = people["accounts"]["learner"]
    ensure_valid_certificate(learner, networks)
    ensure_expired_certificate(learner, site["course"])
    return {"networks_course": networks, "certificates": Certificate.objects.count()}


def _signature_png() -> bytes:
    """A drawn flourish standing in for a scanned signature (the demo has no real one)."""
    import io
    import math

    from PIL import Image as PILImage
    from PIL import ImageDraw

    image = PILImage.new("RGBA", (600, 200), (255, 255, 255, 0))
    draw = ImageDraw.Draw(image)
    points = [
        (40 + t * 5.2, 110 - 45 * math.sin(t / 6) * math.exp(-t / 140) - 12 * math.sin(t / 1.7))
        for t in range(100)
    ]
    draw.line(points, fill=(20, 40, 90, 255), width=5, joint="curve")
    draw.line([(60, 150), (540, 135)], fill=(20, 40, 90, 255), width=3)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def ensure_template_signature() -> None:
    from django.core.files.images import ImageFile
    from wagtail.images.models import Image

    from courses.models import CertificateTemplate

    template = CertificateTemplate.objects.filter(is_default=True).first()
    if template is None or template.signature_image_id:
        return
    import io

    image = Image.objects.create(
        title="Demo signature (certificates)",
        file=ImageFile(io.BytesIO(_signature_png()), name="demo-signature.png"),
    )
    template.signature_image = image
    template.save(update_fields=["signature_image"])
