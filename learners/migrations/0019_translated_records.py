"""Records belong to the canonical (default-language) page of a course.

Adds the attempt's language, and re-points any record found on a translated page to the
page's translation in the default language, merging what would then be duplicates: the
earliest enrolment is kept, lesson progress is united, attempts, workbooks and certificates
move to the kept enrolment.
"""

from django.conf import settings
from django.db import migrations, models


def _canonical(Page, cache, page_id):
    if page_id is None:
        return None
    if page_id not in cache:
        row = (
            Page.objects.filter(pk=page_id)
            .values_list("translation_key", "locale__language_code")
            .first()
        )
        target = page_id
        if row is not None and row[1] != settings.LANGUAGE_CODE:
            target = (
                Page.objects.filter(
                    translation_key=row[0], locale__language_code=settings.LANGUAGE_CODE
                )
                .values_list("pk", flat=True)
                .first()
                or page_id
            )
        cache[page_id] = target
    return cache[page_id]


def _merge_progress(LessonProgress, row, into):
    for name in ("first_viewed_at", "completed_at"):
        ours, theirs = getattr(into, name), getattr(row, name)
        if theirs is not None and (ours is None or theirs < ours):
            setattr(into, name, theirs)
    if row.last_viewed_at and (
        into.last_viewed_at is None or row.last_viewed_at > into.last_viewed_at
    ):
        into.last_viewed_at = row.last_viewed_at
    into.save()
    row.delete()


def _merge_enrolment(apps, loser, keeper):
    """Move everything of `loser` onto `keeper` (same learner, same canonical course)."""
    LessonProgress = apps.get_model("learners", "LessonProgress")
    QuizAttempt = apps.get_model("learners", "QuizAttempt")
    Workbook = apps.get_model("learners", "Workbook")
    WorkbookSubmission = apps.get_model("learners", "WorkbookSubmission")
    Certificate = apps.get_model("learners", "Certificate")
    for row in LessonProgress.objects.filter(enrolment=loser):
        same = LessonProgress.objects.filter(enrolment=keeper, lesson_id=row.lesson_id).first()
        if same is None:
            row.enrolment = keeper
            row.save(update_fields=["enrolment"])
        else:
            _merge_progress(LessonProgress, row, same)
    QuizAttempt.objects.filter(enrolment=loser).update(enrolment=keeper)
    for workbook in Workbook.objects.filter(enrolment=loser):
        same = Workbook.objects.filter(enrolment=keeper, page_id=workbook.page_id).first()
        if same is None:
            workbook.enrolment = keeper
            workbook.save(update_fields=["enrolment"])
            continue
        WorkbookSubmission.objects.filter(workbook=workbook).update(workbook=same)
        if (workbook.saved_at or workbook.created_at) > (same.saved_at or same.created_at):
            same.answers = workbook.answers
            same.saved_at = workbook.saved_at
        same.version = max(same.version, workbook.version) + 1
        same.save()
        workbook.delete()
    Certificate.objects.filter(enrolment=loser).update(enrolment=keeper)
    if loser.completed_at and (
        keeper.completed_at is None or loser.completed_at < keeper.completed_at
    ):
        keeper.completed_at = loser.completed_at
    if loser.last_activity_at and (
        keeper.last_activity_at is None or loser.last_activity_at > keeper.last_activity_at
    ):
        keeper.last_activity_at = loser.last_activity_at
        keeper.last_lesson_id = loser.last_lesson_id
    keeper.save()
    loser.delete()


def repoint_records(apps, schema_editor):
    Page = apps.get_model("wagtailcore", "Page")
    Enrolment = apps.get_model("learners", "Enrolment")
    LessonProgress = apps.get_model("learners", "LessonProgress")
    QuizAttempt = apps.get_model("learners", "QuizAttempt")
    Workbook = apps.get_model("learners", "Workbook")
    Certificate = apps.get_model("learners", "Certificate")
    default = settings.LANGUAGE_CODE
    cache: dict = {}

    def canon(page_id):
        return _canonical(Page, cache, page_id)

    translated = Enrolment.objects.exclude(course=None).exclude(
        course__locale__language_code=default
    )
    for enrolment in translated.order_by("enrolled_at", "pk"):
        target = canon(enrolment.course_id)
        if target == enrolment.course_id:
            continue
        enrolment.last_lesson_id = canon(enrolment.last_lesson_id)
        if enrolment.archived_at is None:
            current = Enrolment.objects.filter(
                user_id=enrolment.user_id, course_id=target, archived_at__isnull=True
            ).first()
            if current is not None:
                keeper, loser = (
                    (current, enrolment)
                    if (current.enrolled_at, current.pk) <= (enrolment.enrolled_at, enrolment.pk)
                    else (enrolment, current)
                )
                if keeper is enrolment:
                    loser.archived_at = loser.enrolled_at  # frees the one-current slot
                    loser.save(update_fields=["archived_at"])
                    keeper.course_id = target
                    keeper.cycle = current.cycle
                    loser.cycle = 0
                    loser.save(update_fields=["cycle"])
                    keeper.save()
                    # The loser's records name the canonical pages already.
                _merge_enrolment(apps, loser, keeper)
                continue
        taken = set(
            Enrolment.objects.filter(user_id=enrolment.user_id, course_id=target).values_list(
                "cycle", flat=True
            )
        )
        if enrolment.cycle in taken:
            enrolment.cycle = max(taken) + 1
        enrolment.course_id = target
        enrolment.save()

    for row in LessonProgress.objects.exclude(lesson=None).exclude(
        lesson__locale__language_code=default
    ):
        target = canon(row.lesson_id)
        if target == row.lesson_id:
            continue
        same = LessonProgress.objects.filter(
            enrolment_id=row.enrolment_id, lesson_id=target
        ).first()
        if same is None:
            row.lesson_id = target
            row.save(update_fields=["lesson"])
        else:
            _merge_progress(LessonProgress, row, same)

    for attempt in QuizAttempt.objects.exclude(quiz=None).exclude(
        quiz__locale__language_code=default
    ):
        target = canon(attempt.quiz_id)
        if target == attempt.quiz_id:
            continue
        if (
            attempt.status == "open"
            and QuizAttempt.objects.filter(
                user_id=attempt.user_id, quiz_id=target, status="open"
            ).exists()
        ):
            attempt.status = "expired"
        if not attempt.language:
            attempt.language = (
                Page.objects.filter(pk=attempt.quiz_id)
                .values_list("locale__language_code", flat=True)
                .first()
                or ""
            )
        attempt.quiz_id = target
        attempt.save()

    for workbook in Workbook.objects.exclude(page=None).exclude(
        page__locale__language_code=default
    ):
        target = canon(workbook.page_id)
        if target == workbook.page_id:
            continue
        if Workbook.objects.filter(enrolment_id=workbook.enrolment_id, page_id=target).exists():
            # Two copies of one workbook in one enrolment: _merge_enrolment's rule, in place.
            WorkbookSubmission = apps.get_model("learners", "WorkbookSubmission")
            same = Workbook.objects.get(enrolment_id=workbook.enrolment_id, page_id=target)
            WorkbookSubmission.objects.filter(workbook=workbook).update(workbook=same)
            if (workbook.saved_at or workbook.created_at) > (same.saved_at or same.created_at):
                same.answers = workbook.answers
                same.saved_at = workbook.saved_at
            same.version = max(same.version, workbook.version) + 1
            same.save()
            workbook.delete()
            continue
        workbook.page_id = target
        workbook.save(update_fields=["page"])

    for certificate in Certificate.objects.exclude(course=None).exclude(
        course__locale__language_code=default
    ):
        certificate.course_id = canon(certificate.course_id)
        certificate.save(update_fields=["course"])


class Migration(migrations.Migration):
    dependencies = [
        ("learners", "0018_scorm"),
        ("wagtailcore", "0094_alter_page_locale"),
    ]

    operations = [
        migrations.AddField(
            model_name="quizattempt",
            name="language",
            field=models.CharField(blank=True, default="", max_length=10),
        ),
        migrations.RunPython(repoint_records, migrations.RunPython.noop),
    ]
