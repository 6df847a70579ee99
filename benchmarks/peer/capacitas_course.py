"""Build the benchmark course on Capacitas (safe to run twice); run with Capacitas' venv.

The same 20 lessons as the peer's (`course_content`), grouped in 4 modules of 5 as Capacitas
structures a course, and a learner enrolled through the enrolment service. Works on whatever
database DATABASE_URL names: `benchmarks/throughput.py` points it at a file or a PostgreSQL
database of its own, never at the developer's db.sqlite3. Prints the measured URLs as JSON.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent.parent))

import course_content as content  # noqa: E402


def build() -> dict:
    from allauth.account.models import EmailAddress
    from django.db import transaction

    from cms.demo.site import ensure_catalogue, ensure_home
    from courses.models import CoursePage, LessonPage, ModulePage
    from learners.models import User
    from learners.progress.services import enrolment_create

    per_module = content.LESSONS // content.MODULES
    with transaction.atomic():
        catalogue = ensure_catalogue(ensure_home())
        course = CoursePage.objects.filter(slug=content.COURSE_SLUG).first()
        if course is None:
            course = CoursePage(
                title=content.COURSE_TITLE,
                slug=content.COURSE_SLUG,
                summary=content.COURSE_SUMMARY,
                description=f"<p>{content.course_description()}</p>",
            )
            catalogue.add_child(instance=course)
            course.save_revision().publish()
        for m in range(content.MODULES):
            module = ModulePage.objects.child_of(course).filter(slug=f"module-{m + 1}").first()
            if module is None:
                module = ModulePage(title=f"Module {m + 1}", slug=f"module-{m + 1}")
                course.add_child(instance=module)
                module.save_revision().publish()
            for number in range(m * per_module + 1, (m + 1) * per_module + 1):
                slug = content.lesson_slug(number)
                if LessonPage.objects.child_of(module).filter(slug=slug).exists():
                    continue
                lesson = LessonPage(
                    title=content.lesson_title(number),
                    slug=slug,
                    intro=content.lesson_intro(number),
                    estimated_minutes=8,
                    body=[
                        {"type": "paragraph", "value": f"<p>{text}</p>"}
                        for text in content.paragraph_texts(number)
                    ],
                )
                module.add_child(instance=lesson)
                lesson.save_revision().publish()
        learner = User.objects.filter(email=content.LEARNER_EMAIL).first()
        if learner is None:
            learner = User.objects.create_user(
                email=content.LEARNER_EMAIL,
                password=content.LEARNER_PASSWORD,
                full_name="Benchmark Learner",
            )
        EmailAddress.objects.get_or_create(
            user=learner, email=learner.email, defaults={"verified": True, "primary": True}
        )
        course = CoursePage.objects.get(pk=course.pk)
        enrolment_create(user=learner, course=course)
    lesson = LessonPage.objects.descendant_of(course).get(
        slug=content.lesson_slug(content.MEASURED_LESSON)
    )
    return {
        "course": course.get_url(),
        "lesson": lesson.get_url(),
        "lesson_title": lesson.title,
        "course_title": course.title,
        "lessons": LessonPage.objects.descendant_of(course).live().count(),
    }


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.production")
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0, interactive=False)
    print(json.dumps(build()))


if __name__ == "__main__":
    main()
