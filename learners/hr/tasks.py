"""Background work of the HR area (Django tasks; the immediate backend runs it inline)."""

from datetime import date

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django_tasks import task

from learners.accounts.models import User
from learners.hr.exports import export_job_run
from learners.hr.models import Assignment, ExportStatus


@task()
def assignment_notify(*, assignment_id: int, user_ids: list[int], due_on: str) -> int:
    """E-mail people newly assigned a course (one SMTP connection for the whole batch)."""
    assignment = Assignment.objects.filter(pk=assignment_id).first()
    if assignment is None:
        return 0
    due = date.fromisoformat(due_on)
    subject = _("New course assigned: “{course}”, due {due}").format(
        course=assignment.course_title, due=due.isoformat()
    )
    messages = [
        EmailMessage(
            subject,
            render_to_string(
                "learners/hr/email/assigned.txt",
                {
                    "person": person,
                    "course": assignment.course_title,
                    "due_on": due,
                    "recurrence_months": assignment.recurrence_months,
                    "site_url": settings.SITE_URL,
                },
            ),
            settings.DEFAULT_FROM_EMAIL,
            [person.email],
        )
        for person in User.objects.filter(pk__in=user_ids, is_active=True).only(
            "email", "full_name"
        )
    ]
    with get_connection() as connection:
        return connection.send_messages(messages) or 0


@task()
def hr_export_build(*, job_id: int) -> int:
    """Build an HR export file; returns the rows written (0 when the job failed or was gone)."""
    job = export_job_run(job_id=job_id)
    return job.row_count if job is not None and job.status == ExportStatus.DONE else 0
