"""Demo certificates: the city networks short course, and the demo learner's valid and expired
ones."""

from __future__ import annotations

import random
from datetime import timedelta

from django.utils import timezone

from cms.demo.courses import NETWORKS, ensure_short_course, pass_final_quiz
from cms.demo.people import retime_enrolment
from cms.demo.scorm import play_scorm_lesson
from courses.models import CourseCataloguePage, CoursePage
from courses.selectors.outline import course_outline
from learners.certificates.services import certificate_issue
from learners.models import Certificate, Enrolment, LessonProgress, User
from learners.progress.services import enrolment_create, lesson_complete


def ensure_networks_course(catalogue: CourseCataloguePage) -> CoursePage:
    return ensure_short_course(catalogue, NETWORKS)


def _backdate_certificate(enrolment: Enrolment, *, days_ago: int) -> None:
    """Move a freshly completed enrolment and its certificate into the past, before its PDF
    renders: enrolled three weeks before completing, lessons and attempts in between."""
    completed = timezone.now() - timedelta(days=days_ago)
    retime_enrolment(enrolment, enrolled_at=completed - timedelta(days=20), finished_at=completed)


def _complete_all(user: User, course: CoursePage, enrolment: Enrolment) -> None:
    lessons = {page.pk: page for page in course.get_descendants().live().specific()}
    for item in course_outline(course).lessons:
        if item.scorm:  # played to the end, as the SCORM player would commit it
            play_scorm_lesson(user, enrolment, lessons[item.id], right=3)
        else:
            lesson_complete(user=user, enrolment=enrolment, lesson=lessons[item.id])


def ensure_valid_certificate(learner: User, course: CoursePage) -> None:
    """The lessons and the final quiz passed about three months ago; passing completes the
    course, which issues the certificate."""
    if Certificate.objects.filter(user=learner, course=course).exists():
        return
    enrolment, _ = enrolment_create(user=learner, course=course)
    _complete_all(learner, course, enrolment)
    pass_final_quiz(learner, course, rng=random.Random(91), ability=1.0)  # a strong learner
    enrolment.refresh_from_db()
    certificate_issue(enrolment=enrolment)
    _backdate_certificate(enrolment, days_ago=91)


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
    certificate_issue(enrolment=earlier)
    _backdate_certificate(earlier, days_ago=27 * 30 + 12)
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
