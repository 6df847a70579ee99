"""Taking quizzes: start, save, submit. The server is the only judge of time and score."""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.models import Page

from courses.scoring import AnswerError, build_snapshot, parse_answers, score_attempt
from courses.selectors.outline import course_for_page
from courses.selectors.quizzes import quiz_questions_for_attempt
from courses.selectors.translations import canonical_page
from learners.accounts.models import User
from learners.attempts.models import AttemptStatus, QuizAttempt
from learners.progress.models import Enrolment, Verb
from learners.progress.services import activity_record, enrolment_completion_check

# An answer that left the learner's browser just before the deadline still counts.
GRACE = timedelta(seconds=getattr(settings, "QUIZ_DEADLINE_GRACE_SECONDS", 5))


ANSWER_ERRORS = {
    "unknown_question": gettext_lazy(
        "The form contained an answer to a question that is not in this quiz."
    ),
    "unknown_choice": gettext_lazy("An answer did not match any of the choices offered."),
    "too_many_values": gettext_lazy("A question that takes one answer received several."),
    "too_long": gettext_lazy("An answer is too long (500 characters at most)."),
}


class AttemptError(Exception):
    """A request the rules refuse; the message is shown to the learner."""


class AttemptRefused(AttemptError):
    pass


class AttemptInvalidInput(AttemptError):
    pass


def _rng() -> random.Random:
    # Unpredictable draws and choice ids: a learner cannot reproduce another's attempt.
    return random.SystemRandom()


def _is_late(attempt: QuizAttempt, now: datetime) -> bool:
    return attempt.deadline is not None and now > attempt.deadline + GRACE


def attempt_start(*, user: User, quiz: Page, now: datetime | None = None) -> QuizAttempt:
    """Open an attempt, or return the learner's open one (resume).

    The attempt belongs to the canonical quiz and course (one record whatever the language);
    its snapshot is taken from `quiz`, the page the learner is on, so it keeps that language.
    Scoring reads the snapshot, whose answer key wagtail-localize keeps equal across languages.
    """
    now = now or timezone.now()
    shown = quiz
    quiz = canonical_page(quiz)
    course = course_for_page(quiz)
    if course is None:
        raise AttemptRefused(_("This quiz does not belong to a course."))
    with transaction.atomic():
        # Locking the enrolment serialises this learner's starts, so the attempt count holds.
        enrolment = (
            Enrolment.objects.select_for_update()
            .filter(user=user, course_id=course.pk, archived_at__isnull=True)
            .first()
        )
        if enrolment is None:
            raise AttemptRefused(_("Enrol in the course to take this quiz."))
        current = QuizAttempt.objects.filter(
            user=user, quiz=quiz, status=AttemptStatus.OPEN
        ).first()
        if current is not None:
            # An attempt left open in an earlier enrolment cycle, or past its deadline, is
            # closed with what it holds rather than resumed.
            if current.enrolment_id == enrolment.pk and not _is_late(current, now):
                return current
            _close(current, now=now, status=AttemptStatus.EXPIRED)
        used = QuizAttempt.objects.filter(enrolment=enrolment, quiz=quiz).count()
        if quiz.attempts_allowed and used >= quiz.attempts_allowed:
            raise AttemptRefused(_("You have used all the attempts allowed for this quiz."))
        rng = _rng()
        snapshot = build_snapshot(
            quiz_questions_for_attempt(shown, rng=rng),
            rng=rng,
            draw_count=quiz.draw_count,
            shuffle_questions=quiz.shuffle_questions,
            shuffle_choices=quiz.shuffle_choices,
        )
        try:
            with transaction.atomic():
                attempt = QuizAttempt.objects.create(
                    user=user,
                    enrolment=enrolment,
                    quiz=quiz,
                    quiz_title=shown.title,
                    language=shown.locale.language_code,
                    number=used + 1,
                    pass_mark=quiz.pass_mark,
                    review_policy=quiz.review_policy,
                    started_at=now,
                    deadline=(
                        now + timedelta(minutes=quiz.time_limit_minutes)
                        if quiz.time_limit_minutes
                        else None
                    ),
                    snapshot=snapshot,
                )
        except IntegrityError:
            # A concurrent start won; the constraint kept one open attempt.
            return QuizAttempt.objects.get(user=user, quiz=quiz, status=AttemptStatus.OPEN)
        activity_record(
            actor=user,
            verb=Verb.ATTEMPTED,
            object_type="quiz",
            object_id=quiz.pk,
            object_title=quiz.title,
            course_id=enrolment.course_id,
            course_title=enrolment.course_title,
        )
    return attempt


def _parse(attempt: QuizAttempt, data: Mapping[str, Sequence[str]]) -> dict:
    try:
        return parse_answers(attempt.snapshot, data)
    except AnswerError as error:
        raise AttemptInvalidInput(
            str(ANSWER_ERRORS.get(str(error), _("The answers were not valid.")))
        ) from error


def _locked(attempt: QuizAttempt) -> QuizAttempt:
    return QuizAttempt.objects.select_for_update().get(pk=attempt.pk)


def attempt_save(
    *,
    user: User,
    attempt: QuizAttempt,
    data: Mapping[str, Sequence[str]],
    now: datetime | None = None,
) -> QuizAttempt:
    """Keep the answers given so far. After the deadline nothing is kept and the attempt is
    closed with what was saved in time; check the returned attempt's status."""
    now = now or timezone.now()
    with transaction.atomic():
        attempt = _locked(attempt)
        if attempt.user_id != user.pk:
            raise QuizAttempt.DoesNotExist
        if not attempt.is_open:
            return attempt
        if _is_late(attempt, now):
            return _close(attempt, now=now, status=AttemptStatus.EXPIRED)
        attempt.answers = _parse(attempt, data)
        attempt.answers_saved_at = now
        attempt.save(update_fields=["answers", "answers_saved_at"])
    return attempt


def attempt_submit(
    *,
    user: User,
    attempt: QuizAttempt,
    data: Mapping[str, Sequence[str]] | None = None,
    now: datetime | None = None,
) -> QuizAttempt:
    """Score the attempt. Submitting again returns the same result and changes nothing."""
    now = now or timezone.now()
    with transaction.atomic():
        attempt = _locked(attempt)
        if attempt.user_id != user.pk:
            raise QuizAttempt.DoesNotExist
        if not attempt.is_open:
            return attempt
        if _is_late(attempt, now):
            return _close(attempt, now=now, status=AttemptStatus.EXPIRED)
        if data is not None:
            attempt.answers = _parse(attempt, data)
            attempt.answers_saved_at = now
        return _close(attempt, now=now, status=AttemptStatus.SUBMITTED)


def attempt_expire_if_late(*, attempt: QuizAttempt, now: datetime | None = None) -> QuizAttempt:
    """Close an attempt whose time ran out (used when the learner comes back to it)."""
    now = now or timezone.now()
    if not attempt.is_open or not _is_late(attempt, now):
        return attempt
    with transaction.atomic():
        attempt = _locked(attempt)
        if attempt.is_open and _is_late(attempt, now):
            attempt = _close(attempt, now=now, status=AttemptStatus.EXPIRED)
    return attempt


def _close(attempt: QuizAttempt, *, now: datetime, status: str) -> QuizAttempt:
    """Score from the stored answers and record the outcome (caller holds the row lock)."""
    result = score_attempt(attempt.snapshot, attempt.answers)
    attempt.status = status
    attempt.submitted_at = now
    attempt.results = result.results
    attempt.score = result.score
    attempt.max_score = result.max_score
    attempt.percent = result.percent
    attempt.passed = result.passed(attempt.pass_mark)
    attempt.save()
    enrolment = attempt.enrolment
    activity_record(
        actor=attempt.user,
        verb=Verb.PASSED if attempt.passed else Verb.FAILED,
        object_type="quiz",
        object_id=attempt.quiz_id,
        object_title=attempt.quiz_title,
        course_id=enrolment.course_id,
        course_title=enrolment.course_title,
        score=attempt.percent,
        success=attempt.passed,
        completion=True,
        duration=now - attempt.started_at,
    )
    if attempt.passed:
        enrolment_completion_check(enrolment=enrolment)
    return attempt
