"""Build the benchmark course on the peer's site (safe to run twice).

A wagtail-lms CoursePage under the site's home page with 20 H5P lesson pages (the lesson type
that carries a rich-text body; no H5P activity in them), and a learner enrolled in the course.
Prints the URLs the benchmark measures as JSON.
"""

import json
import sys
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction
from wagtail.models import Page, Site
from wagtail_lms.models import CourseEnrollment, CoursePage, H5PLessonPage

# The course content is shared with the Capacitas side of the benchmark.
sys.path.insert(0, str(Path(__file__).resolve().parents[3]))
import course_content as content  # noqa: E402


def _publish(page: Page) -> None:
    page.save_revision().publish()


class Command(BaseCommand):
    help = "Create the 20-lesson benchmark course and an enrolled learner (idempotent)."

    def handle(self, *args, **options):
        with transaction.atomic():
            site = Site.objects.get(is_default_site=True)
            home = site.root_page
            course = CoursePage.objects.filter(slug=content.COURSE_SLUG).first()
            if course is None:
                course = CoursePage(
                    title=content.COURSE_TITLE,
                    slug=content.COURSE_SLUG,
                    description=f"<p>{content.COURSE_SUMMARY}</p>"
                    f"<p>{content.course_description()}</p>",
                )
                home.add_child(instance=course)
                _publish(course)
            for number in range(1, content.LESSONS + 1):
                slug = content.lesson_slug(number)
                if H5PLessonPage.objects.child_of(course).filter(slug=slug).exists():
                    continue
                lesson = H5PLessonPage(
                    title=content.lesson_title(number),
                    slug=slug,
                    intro=f"<p>{content.lesson_intro(number)}</p>",
                    body=[
                        {"type": "paragraph", "value": f"<p>{text}</p>"}
                        for text in content.paragraph_texts(number)
                    ],
                )
                course.add_child(instance=lesson)
                _publish(lesson)
            user_model = get_user_model()
            learner = user_model.objects.filter(username=content.LEARNER_USERNAME).first()
            if learner is None:
                learner = user_model.objects.create_user(
                    username=content.LEARNER_USERNAME,
                    email=content.LEARNER_EMAIL,
                    password=content.LEARNER_PASSWORD,
                )
            CourseEnrollment.objects.get_or_create(user=learner, course=course)
        course = CoursePage.objects.get(pk=course.pk)
        lesson = H5PLessonPage.objects.child_of(course).get(
            slug=content.lesson_slug(content.MEASURED_LESSON)
        )
        self.stdout.write(
            json.dumps(
                {
                    "course": course.get_url(),
                    "lesson": lesson.get_url(),
                    "lesson_title": lesson.title,
                    "course_title": course.title,
                    "lessons": H5PLessonPage.objects.child_of(course).live().count(),
                }
            )
        )
