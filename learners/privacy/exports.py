"""Everything held about one learner, as the files of their data export (JSON and CSV).

Each query here starts from the learner (`user=…`, `actor=…`, `enrolment__user=…`), so the
archive can hold nothing about anyone else; the names of other people (the HR officer who made
an assignment, the administrator who revoked a certificate) are left out for the same reason.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime
from decimal import Decimal

from allauth.account.models import EmailAddress
from django.apps import apps
from django.db.models import Q
from django.utils.translation import gettext as _

from learners.accounts.models import HROfficerRole, Invitation, MembershipRequest, User
from learners.attempts.models import QuizAttempt
from learners.certificates.models import Certificate
from learners.certificates.pdf import certificate_pdf_data, render_certificate_pdf
from learners.certificates.selectors import (
    certificate_language,
    certificate_pdf_file,
    certificate_verify_address,
)
from learners.common.spreadsheets import neutralise_cell
from learners.hr.models import AssignedLearner, ReminderLog
from learners.privacy.contributors import ExportFile, privacy_contributors
from learners.progress.models import ActivityEvent, Enrolment, LessonProgress
from learners.xapi.services import statements_build


def _plain(value):
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def _json(data) -> bytes:
    return json.dumps(data, indent=2, ensure_ascii=False, default=_plain).encode("utf-8")


def _csv(rows: Sequence[dict]) -> bytes:
    buffer = io.StringIO()
    if rows:
        writer = csv.DictWriter(buffer, fieldnames=list(rows[0]))
        writer.writeheader()
        for row in rows:
            writer.writerow({key: neutralise_cell(_plain(value)) for key, value in row.items()})
    # A byte-order mark so spreadsheet programs read the UTF-8 names correctly.
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _both(stem: str, rows: list[dict], description: str) -> list[ExportFile]:
    return [
        ExportFile(f"{stem}.json", _json(rows), description),
        ExportFile(f"{stem}.csv", _csv(rows), _("The same, as a spreadsheet.")),
    ]


def _profile(user: User) -> dict:
    organisation = user.organisation
    department = user.department
    profile = {
        "email": user.email,
        "full_name": user.full_name,
        "job_title": user.job_title,
        "government_level": user.government_level,
        "date_joined": user.date_joined,
        "last_login": user.last_login,
        "is_active": user.is_active,
        "organisation": (
            {
                "name": organisation.name,
                "country": organisation.country,
                "level": organisation.level,
            }
            if organisation
            else None
        ),
        "department": department.name if department else None,
        "email_addresses": [
            {"email": a.email, "verified": a.verified, "primary": a.primary}
            for a in EmailAddress.objects.filter(user=user).order_by("email")
        ],
        "hr_officer_roles": [
            {"organisation": role.organisation.name, "granted_at": role.granted_at}
            for role in HROfficerRole.objects.filter(user=user).select_related("organisation")
        ],
    }
    if apps.is_installed("allauth.socialaccount"):
        from allauth.socialaccount.models import SocialAccount

        profile["single_sign_on_accounts"] = [
            {
                "provider": account.provider,
                "uid": account.uid,
                "date_joined": account.date_joined,
                "last_login": account.last_login,
                "claims": account.extra_data,
            }
            for account in SocialAccount.objects.filter(user=user)
        ]
    return profile


def _enrolments(user: User) -> list[dict]:
    return [
        {
            "course": e.course_title,
            "course_id": e.course_id,
            "cycle": e.cycle,
            "source": e.source,
            "enrolled_at": e.enrolled_at,
            "last_activity_at": e.last_activity_at,
            "completed_at": e.completed_at,
            "archived_at": e.archived_at,
        }
        for e in Enrolment.objects.filter(user=user).order_by("enrolled_at", "id")
    ]


def _progress(user: User) -> list[dict]:
    rows = LessonProgress.objects.filter(enrolment__user=user).select_related("enrolment")
    return [
        {
            "course": p.enrolment.course_title,
            "cycle": p.enrolment.cycle,
            "lesson": p.lesson_title,
            "lesson_id": p.lesson_id,
            "first_viewed_at": p.first_viewed_at,
            "last_viewed_at": p.last_viewed_at,
            "completed_at": p.completed_at,
        }
        for p in rows.order_by("enrolment_id", "id")
    ]


def _attempts(user: User) -> list[QuizAttempt]:
    return list(
        QuizAttempt.objects.filter(user=user)
        .select_related("enrolment")
        .order_by("started_at", "id")
    )


def _attempt_detail(attempt: QuizAttempt) -> dict:
    return {
        "quiz": attempt.quiz_title,
        "quiz_id": attempt.quiz_id,
        "course": attempt.enrolment.course_title,
        "number": attempt.number,
        "status": attempt.status,
        "started_at": attempt.started_at,
        "deadline": attempt.deadline,
        "submitted_at": attempt.submitted_at,
        "pass_mark": attempt.pass_mark,
        "score": attempt.score,
        "max_score": attempt.max_score,
        "percent": attempt.percent,
        "passed": attempt.passed,
        # The questions exactly as they were shown, the answers given, and how each was marked.
        "questions_as_shown": attempt.snapshot,
        "answers": attempt.answers,
        "results": attempt.results,
    }


def _attempt_row(attempt: QuizAttempt) -> dict:
    return {
        "quiz": attempt.quiz_title,
        "course": attempt.enrolment.course_title,
        "number": attempt.number,
        "status": attempt.status,
        "started_at": attempt.started_at,
        "submitted_at": attempt.submitted_at,
        "percent": attempt.percent,
        "passed": attempt.passed,
    }


def _activity(user: User) -> list[ActivityEvent]:
    return list(ActivityEvent.objects.filter(actor=user).order_by("timestamp", "id"))


def _activity_row(event: ActivityEvent) -> dict:
    return {
        "timestamp": event.timestamp,
        "verb": event.get_verb_display(),
        "verb_id": event.verb,
        "object_type": event.object_type,
        "object": event.object_title,
        "course": event.course_title,
        "score": event.result_score,
        "success": event.result_success,
        "completion": event.result_completion,
        "duration_seconds": (
            int(event.result_duration.total_seconds()) if event.result_duration else None
        ),
    }


def _certificates(user: User) -> list[Certificate]:
    return list(
        Certificate.objects.filter(user=user)
        .select_related("user", "enrolment")
        .order_by("issued_at", "id")
    )


def _certificate_row(certificate: Certificate) -> dict:
    return {
        "code": certificate.display_code,
        "holder_name": certificate.holder_name,
        "course": certificate.course_title,
        "completed_on": certificate.completed_on,
        "issued_at": certificate.issued_at,
        "expires_on": certificate.expires_on,
        "status": certificate.status,
        "final_score": certificate.final_score,
        "estimated_hours": certificate.estimated_hours,
        "issuer": certificate.issuer_name,
        "revoked_at": certificate.revoked_at,
        "revocation_reason": certificate.revocation_reason,
        "verify_url": certificate_verify_address(certificate),
        "pdf": f"certificates/{certificate.display_code}.pdf",
    }


def _certificate_pdf(certificate: Certificate) -> bytes:
    """The PDF in the holder's certificate language."""
    language = certificate_language(certificate)
    stored = certificate_pdf_file(certificate, language)
    if stored is not None:
        with stored.file.open("rb") as handle:
            return handle.read()
    # Not rendered yet (the worker is behind): render the same document now.
    return render_certificate_pdf(certificate_pdf_data(certificate, language))


def _assignments(user: User) -> list[dict]:
    rows = AssignedLearner.objects.filter(user=user).select_related(
        "assignment__organisation", "assignment__department"
    )
    return [
        {
            "course": row.assignment.course_title,
            "organisation": row.assignment.organisation.name,
            "assigned_to": row.assignment.target,
            "department": (
                row.assignment.department.name if row.assignment.department_id else None
            ),
            "assigned_at": row.created_at,
            "due_on": row.due_on,
            "recertify_every_months": row.assignment.recurrence_months,
        }
        for row in rows.order_by("created_at", "id")
    ]


def _membership_requests(user: User) -> list[dict]:
    rows = MembershipRequest.objects.filter(user=user).select_related("organisation", "department")
    return [
        {
            "organisation": row.organisation.name,
            "department": row.department.name if row.department_id else None,
            "status": row.status,
            "requested_at": row.created_at,
            "decided_at": row.decided_at,
        }
        for row in rows.order_by("created_at", "id")
    ]


def _invitations(user: User) -> list[dict]:
    # Invitations name the person by address before any account exists: those sent to one of
    # their addresses, and the one they accepted.
    addresses = [
        user.email,
        *EmailAddress.objects.filter(user=user).values_list("email", flat=True),
    ]
    rows = Invitation.objects.filter(Q(accepted_by=user) | Q(email__in=addresses)).select_related(
        "organisation", "department"
    )
    return [
        {
            "organisation": row.organisation.name,
            "department": row.department.name if row.department_id else None,
            "email": row.email,
            "full_name": row.full_name,
            "job_title": row.job_title,
            "invited_at": row.created_at,
            "accepted_at": row.accepted_at,
        }
        for row in rows.distinct().order_by("created_at", "id")
    ]


def _reminders(user: User) -> list[dict]:
    return [
        {"kind": r.kind, "sent_at": r.sent_at}
        for r in ReminderLog.objects.filter(user=user).order_by("sent_at", "id")
    ]


def personal_data_files(user: User) -> list[ExportFile]:
    """Every file of the learner's export, README.txt excepted (see `readme_text`)."""
    attempts = _attempts(user)
    events = _activity(user)
    certificates = _certificates(user)
    files = [
        ExportFile(
            "profile.json",
            _json(_profile(user)),
            _(
                "Your profile: e-mail, name, job title, level of government, organisation and "
                "department, your e-mail addresses, any HR officer roles and single sign-on "
                "accounts."
            ),
        ),
        *_both(
            "enrolments",
            _enrolments(user),
            _("Each course you enrolled in, each cycle, and when you completed it."),
        ),
        *_both(
            "lesson_progress",
            _progress(user),
            _("When you first and last viewed each lesson and when you completed it."),
        ),
        ExportFile(
            "quiz_attempts.json",
            _json([_attempt_detail(a) for a in attempts]),
            _(
                "Every quiz attempt: the questions exactly as they were shown to you, your "
                "answers, how each was marked, and your score."
            ),
        ),
        ExportFile(
            "quiz_attempts.csv",
            _csv([_attempt_row(a) for a in attempts]),
            _("A summary of your quiz attempts, as a spreadsheet."),
        ),
        ExportFile(
            "activity.csv",
            _csv([_activity_row(e) for e in events]),
            _("The activity log: what you did on the platform and when."),
        ),
        ExportFile(
            "activity_xapi.json",
            _json(statements_build(events=events)),
            _(
                "The same activity log as xAPI 1.0.3 statements, exactly as they are sent to "
                "learning record stores (you appear under an opaque account name, not your "
                "e-mail), which other learning record stores can import."
            ),
        ),
        *_both(
            "certificates",
            [_certificate_row(c) for c in certificates],
            _("Your certificates, their status and the address where anyone can verify them."),
        ),
        *[
            ExportFile(
                f"certificates/{c.display_code}.pdf",
                _certificate_pdf(c),
                _("The certificate %(code)s as a PDF.") % {"code": c.display_code},
            )
            for c in certificates
        ],
        *_both(
            "hr_assignments",
            _assignments(user),
            _("Courses your organisation's HR assigned to you, with their due dates."),
        ),
        *_both(
            "membership_requests",
            _membership_requests(user),
            _("Your requests to join an organisation or department, and what HR decided."),
        ),
        *_both(
            "invitations",
            _invitations(user),
            _("Invitations to join an organisation sent to your e-mail addresses."),
        ),
        *_both(
            "reminders",
            _reminders(user),
            _("The reminder e-mails sent to you about assigned courses."),
        ),
    ]
    for contributor in privacy_contributors():
        if contributor.export is not None:
            files.extend(contributor.export(user))
    return files


def readme_text(user: User, files: Iterable[ExportFile], *, generated_at: datetime) -> str:
    lines = [
        _("Capacitas: the personal data held about %(email)s") % {"email": user.email},
        _("Generated on %(when)s (UTC).")
        % {"when": generated_at.astimezone(UTC).strftime("%Y-%m-%d %H:%M")},
        "",
        _(
            "JSON files hold every field; CSV files hold the same rows for a spreadsheet. "
            "Times are in UTC (ISO 8601). What the platform keeps, for how long, and how to "
            "correct or erase it is explained in the privacy notice on the site."
        ),
        "",
    ]
    for item in files:
        lines.append(f"{item.name}")
        lines.append(f"    {item.description}")
    return "\n".join(lines) + "\n"
