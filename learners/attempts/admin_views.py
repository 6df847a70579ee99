"""Trainers' quiz reports in the Wagtail admin: aggregates only, never learners' names."""

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.text import slugify
from django.utils.translation import gettext as _

from courses.selectors.quizzes import get_quiz, quizzes_for_reports
from learners.attempts.selectors import quiz_report
from learners.common.spreadsheets import SafeCsvWriter

PERMISSION = "courses.view_quiz_reports"


def _authorise(request) -> None:
    if not request.user.has_perm(PERMISSION):
        raise PermissionDenied


def report_index(request):
    _authorise(request)
    return render(
        request,
        "learners/attempts/admin/quiz_report_index.html",
        {"quizzes": quizzes_for_reports()},
    )


def _quiz_or_404(quiz_id: int):
    quiz = get_quiz(quiz_id)
    if quiz is None:
        raise Http404
    return quiz


def report_detail(request, quiz_id: int):
    _authorise(request)
    quiz = _quiz_or_404(quiz_id)
    return render(
        request,
        "learners/attempts/admin/quiz_report.html",
        {"quiz": quiz, "report": quiz_report(quiz)},
    )


def _fmt(value, digits: int = 2) -> str:
    return "" if value is None else f"{value:.{digits}f}"


def report_csv(request, quiz_id: int):
    _authorise(request)
    quiz = _quiz_or_404(quiz_id)
    report = quiz_report(quiz)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="quiz-report-{slugify(quiz.slug)[:60]}.csv"'
    )
    # Question texts are trainers' input: a leading = + - @ TAB or CR must stay text.
    writer = SafeCsvWriter(response)
    writer.writerow([_("Attempts"), _("Pass rate"), _("Mean %"), _("Median %")])
    writer.writerow(
        [report.attempts, _fmt(report.pass_rate, 3), _fmt(report.mean), _fmt(report.median)]
    )
    writer.writerow([])
    writer.writerow(
        [
            _("Question"),
            _("Text"),
            _("Type"),
            _("Answered"),
            _("Difficulty"),
            _("Discrimination"),
            _("Question bank"),
        ]
    )
    for question in report.questions:
        writer.writerow(
            [
                question.number,
                question.text,
                question.type,
                question.stats.answered,
                _fmt(question.stats.difficulty, 3),
                _fmt(question.stats.discrimination, 3),
                question.bank,
            ]
        )
    return response
