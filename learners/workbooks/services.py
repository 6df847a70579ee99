"""Writes of workbooks: open, save (optimistic locking), submit, review."""

from __future__ import annotations

from collections.abc import Mapping

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from courses.models import WorkbookPage
from courses.selectors.translations import canonical_page
from learners.accounts.models import User
from learners.common.page_state import learner_pages_changed
from learners.progress.models import Enrolment, Verb
from learners.progress.services import activity_record, enrolment_completion_check
from learners.workbooks.models import SubmissionStatus, Workbook, WorkbookSubmission
from learners.workbooks.rules import Parsed, clean_text, is_empty, parse_form, rubric_score

FEEDBACK_MAX = 5_000


class WorkbookRefused(Exception):
    """The action is not possible in the workbook's state; the message says why."""


class WorkbookInvalid(Exception):
    """Some answers break a limit: nothing was stored. `parsed` keeps every value posted."""

    def __init__(self, parsed: Parsed):
        super().__init__(_("Some answers could not be saved."))
        self.parsed = parsed


class WorkbookConflict(Exception):
    """The workbook was saved elsewhere after this copy was opened: nothing was stored.

    `parsed` keeps the refused answers, so the learner can copy them into the current version.
    """

    def __init__(self, *, parsed: Parsed, current_version: int):
        super().__init__(
            _(
                "This workbook was saved in another window or device after you opened it. "
                "Your changes were not saved so that nothing is overwritten."
            )
        )
        self.parsed = parsed
        self.current_version = current_version


def workbook_open(*, user: User, enrolment: Enrolment, page: WorkbookPage) -> Workbook:
    """The learner's workbook for this enrolment, created empty on first use."""
    page = canonical_page(page)  # one workbook whatever the language it is opened in
    existing = Workbook.objects.filter(enrolment=enrolment, page=page).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            return Workbook.objects.create(
                user=user, enrolment=enrolment, page=page, page_title=page.title
            )
    except IntegrityError:
        # A concurrent first visit created it; the constraint kept one row.
        return Workbook.objects.get(enrolment=enrolment, page=page)


def _pending_or_accepted(workbook: Workbook) -> str | None:
    return (
        workbook.submissions.filter(
            status__in=[SubmissionStatus.SUBMITTED, SubmissionStatus.ACCEPTED]
        )
        .values_list("status", flat=True)
        .first()
    )


def _refuse_if_locked(workbook: Workbook) -> None:
    status = _pending_or_accepted(workbook)
    if status == SubmissionStatus.SUBMITTED:
        raise WorkbookRefused(
            _("Your workbook is waiting for review; you can edit it again once it is reviewed.")
        )
    if status == SubmissionStatus.ACCEPTED:
        raise WorkbookRefused(_("Your workbook has been accepted; it can no longer be changed."))


def workbook_save(
    *, user: User, workbook: Workbook, spec: dict, data: Mapping, expected_version: int
) -> Workbook:
    """Store the answers posted in `data` if the learner edited the latest version.

    A save names the version it started from; if another save came first, the conditional
    UPDATE touches no row and WorkbookConflict carries the refused answers back.
    """
    if workbook.user_id != user.pk:
        raise WorkbookRefused(_("This workbook is not yours."))
    parsed = parse_form(spec, data)
    if parsed.errors:
        raise WorkbookInvalid(parsed)
    now = timezone.now()
    with transaction.atomic():
        _refuse_if_locked(workbook)
        updated = Workbook.objects.filter(pk=workbook.pk, version=expected_version).update(
            answers=parsed.answers, version=F("version") + 1, saved_at=now
        )
        if not updated:
            current = Workbook.objects.values_list("version", flat=True).get(pk=workbook.pk)
            raise WorkbookConflict(parsed=parsed, current_version=current)
        learner_pages_changed(user_ids=[workbook.user_id])  # an update sends no signal
    workbook.refresh_from_db(fields=["answers", "version", "saved_at"])
    return workbook


def workbook_submit(*, user: User, workbook: Workbook, spec: dict) -> WorkbookSubmission:
    """Freeze the saved answers, with the questions as shown, as a new version for review."""
    if workbook.user_id != user.pk:
        raise WorkbookRefused(_("This workbook is not yours."))
    with transaction.atomic():
        locked = Workbook.objects.select_for_update().get(pk=workbook.pk)
        _refuse_if_locked(locked)
        if is_empty(locked.answers):
            raise WorkbookRefused(_("Fill in and save at least one section before submitting."))
        number = (
            locked.submissions.order_by("-number").values_list("number", flat=True).first() or 0
        ) + 1
        try:
            with transaction.atomic():
                submission = WorkbookSubmission.objects.create(
                    workbook=locked,
                    number=number,
                    snapshot=spec,
                    answers=locked.answers,
                    submitted_at=timezone.now(),
                )
        except IntegrityError as error:
            raise WorkbookRefused(_("This workbook is already waiting for review.")) from error
        activity_record(
            actor=user,
            verb=Verb.ATTEMPTED,
            object_type="workbook",
            object_id=locked.page_id,
            object_title=locked.page_title,
            course_id=locked.enrolment.course_id,
            course_title=locked.enrolment.course_title,
        )
        _notify_on_commit(submission)
    return submission


def submission_review(
    *,
    reviewer: User,
    submission: WorkbookSubmission,
    levels: Mapping[str, int],
    section_feedback: Mapping[str, str],
    overall_feedback: str,
    accept: bool,
) -> WorkbookSubmission:
    """Score a waiting version on its rubric (as snapshotted) and accept it or ask for revision.

    A version is reviewed once: the conditional UPDATE lets only the first of two reviewers in.
    """
    rubric = submission.snapshot.get("rubric") or []
    try:
        result = rubric_score(rubric, levels)
    except ValueError as error:
        raise WorkbookRefused(_("Choose a level for every rubric criterion.")) from error
    section_ids = {s["id"] for s in submission.snapshot.get("sections") or []}
    feedback = {}
    for sid, text in section_feedback.items():
        text = clean_text(text or "")
        if sid not in section_ids or not text:
            continue
        if len(text) > FEEDBACK_MAX:
            raise WorkbookRefused(
                _("Feedback on a section may be at most %(max)d characters.")
                % {"max": FEEDBACK_MAX}
            )
        feedback[sid] = text
    overall = clean_text(overall_feedback or "")
    if len(overall) > FEEDBACK_MAX:
        raise WorkbookRefused(
            _("Overall feedback may be at most %(max)d characters.") % {"max": FEEDBACK_MAX}
        )
    if not accept and not (overall or feedback):
        raise WorkbookRefused(_("Say what to revise: write feedback before asking for revision."))
    status = SubmissionStatus.ACCEPTED if accept else SubmissionStatus.REVISE
    now = timezone.now()
    with transaction.atomic():
        updated = WorkbookSubmission.objects.filter(
            pk=submission.pk, status=SubmissionStatus.SUBMITTED
        ).update(
            status=status,
            reviewed_at=now,
            reviewer=reviewer,
            reviewer_name=reviewer.get_full_name() or reviewer.email,
            rubric_scores=result.scores,
            section_feedback=feedback,
            overall_feedback=overall,
            score=result.score,
            max_score=result.max_score,
        )
        if not updated:
            raise WorkbookRefused(_("This version has already been reviewed."))
        submission.refresh_from_db()
        workbook = submission.workbook
        learner_pages_changed(user_ids=[workbook.user_id])  # an update sends no signal
        if accept:
            activity_record(
                actor=workbook.user,
                verb=Verb.PASSED,
                object_type="workbook",
                object_id=workbook.page_id,
                object_title=workbook.page_title,
                course_id=workbook.enrolment.course_id,
                course_title=workbook.enrolment.course_title,
                score=(result.score / result.max_score * 100) if result.max_score else None,
                success=True,
            )
            enrolment_completion_check(enrolment=workbook.enrolment)
        _notify_on_commit(submission)
    return submission


def _notify_on_commit(submission: WorkbookSubmission) -> None:
    from learners.workbooks.tasks import workbook_notify

    transaction.on_commit(lambda: workbook_notify.enqueue(submission.pk))
