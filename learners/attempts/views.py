"""Taking quizzes: start, the taking page (save / submit) and the result."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from courses.scoring import public_question
from courses.selectors.quizzes import get_live_quiz
from learners.attempts.models import AttemptStatus
from learners.attempts.selectors import attempt_for_user, attempt_review
from learners.attempts.services import (
    AttemptInvalidInput,
    AttemptRefused,
    attempt_expire_if_late,
    attempt_save,
    attempt_submit,
)
from learners.attempts.services import attempt_start as start_attempt


def _take_url(attempt) -> str:
    return reverse("learn_attempt", args=[attempt.public_id])


def _result_url(attempt) -> str:
    return reverse("learn_attempt_result", args=[attempt.public_id])


@login_required
@require_POST
def attempt_start(request, quiz_id: int):
    quiz = get_live_quiz(quiz_id)
    if quiz is None:
        raise Http404
    try:
        attempt = start_attempt(user=request.user, quiz=quiz)
    except AttemptRefused as refusal:
        messages.error(request, str(refusal))
        return redirect(quiz.url)
    return redirect(_take_url(attempt))


def _answered(data: dict[str, list[str]]) -> bool:
    """Whether the learner gave any answer at all (question fields are named q-…)."""
    return any(
        value.strip() for key, values in data.items() if key.startswith("q-") for value in values
    )


def _render_take(request, attempt, *, status: int = 200, confirm_empty: bool = False):
    remaining = None
    if attempt.deadline:
        remaining = max(0, int((attempt.deadline - timezone.now()).total_seconds()))
    return render(
        request,
        "learners/attempts/attempt_take.html",
        {
            "attempt": attempt,
            "questions": [public_question(q) for q in attempt.snapshot],
            "answers": attempt.answers,
            "remaining_seconds": remaining,
            "confirm_empty": confirm_empty,
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def attempt_take(request, public_id):
    attempt = attempt_for_user(request.user, public_id)
    if attempt is None:
        raise Http404
    if request.method == "GET":
        attempt = attempt_expire_if_late(attempt=attempt)
        if not attempt.is_open:
            return redirect(_result_url(attempt))
        return _render_take(request, attempt)

    action = request.POST.get("action")
    if request.POST.get("attempt") != str(attempt.public_id) or action not in (
        "save",
        "submit",
        "submit_empty",
    ):
        messages.error(
            request, _("The form was incomplete, so nothing was saved. Please try again.")
        )
        return _render_take(request, attempt, status=400)
    data = {key: request.POST.getlist(key) for key in request.POST}
    in_time = attempt.deadline is None or timezone.now() < attempt.deadline
    if action == "submit" and in_time and not _answered(data):
        # A blank submission is almost always a slip (or a lost page): it would use an attempt
        # and score 0 %. The learner confirms it first; past the deadline the service closes it.
        messages.warning(
            request,
            _(
                "You have not answered any question. Submitting now uses this attempt and "
                "scores 0 %. Answer the questions, or choose Submit anyway."
            ),
        )
        return _render_take(request, attempt, confirm_empty=True)
    if action == "submit_empty":
        action = "submit"
    try:
        if action == "save":
            attempt = attempt_save(user=request.user, attempt=attempt, data=data)
        else:
            attempt = attempt_submit(user=request.user, attempt=attempt, data=data)
    except AttemptInvalidInput as error:
        messages.error(request, _("Nothing was saved: %(reason)s") % {"reason": error})
        attempt.refresh_from_db()
        return _render_take(request, attempt, status=400)
    if attempt.status == AttemptStatus.EXPIRED:
        messages.warning(
            request,
            _("Time was up. Your attempt was closed with the answers saved before the deadline."),
        )
        return redirect(_result_url(attempt))
    if attempt.is_open:
        messages.success(request, _("Your answers are saved. You can come back to them later."))
        return redirect(_take_url(attempt))
    return redirect(_result_url(attempt))


@login_required
def attempt_result(request, public_id):
    attempt = attempt_for_user(request.user, public_id)
    if attempt is None:
        raise Http404
    attempt = attempt_expire_if_late(attempt=attempt)
    if attempt.is_open:
        return redirect(_take_url(attempt))
    quiz = get_live_quiz(attempt.quiz_id) if attempt.quiz_id else None
    return render(
        request,
        "learners/attempts/attempt_result.html",
        {
            "attempt": attempt,
            "quiz": quiz,
            "review": attempt_review(attempt) if attempt.review_policy != "score_only" else [],
            "full_review": attempt.review_policy == "full_review",
        },
    )
