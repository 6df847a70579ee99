"""The demo's SCORM lesson: generated, validated and unpacked like an upload, idempotent, and
playable by an enrolled learner."""

import pytest
from django.urls import reverse

from cms.demo.scorm import LESSON_SLUG, MODULE_SLUG, ensure_scorm_lesson
from courses.models import ModulePage, ScormLessonPage, ScormPackage
from learners.progress.services import enrolment_create
from tests.factories import _publish, make_course


@pytest.mark.django_db
def test_demo_scorm_lesson_is_built_once_and_plays(learner, learner_client):
    tree = make_course(modules=1, lessons_per_module=1, title="Working with city networks")
    module = ModulePage(title="Taking part well", slug=MODULE_SLUG)
    tree.course.add_child(instance=module)
    _publish(module)
    lesson = ensure_scorm_lesson(tree.course)
    assert ensure_scorm_lesson(tree.course).pk == lesson.pk
    assert ScormPackage.objects.count() == 1 and ScormLessonPage.objects.count() == 1
    assert lesson.slug == LESSON_SLUG and lesson.package.version == "1.2"
    enrolment_create(user=learner, course=tree.course)
    page = learner_client.get(lesson.url)
    assert page.status_code == 200
    assert b"scorm-config" in page.content
    sco = learner_client.get(reverse("learn_scorm_content", args=[lesson.pk, "index.html"]))
    assert b"Self-check: three situations" in b"".join(sco.streaming_content)
