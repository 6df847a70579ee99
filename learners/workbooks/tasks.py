"""Background work of workbooks: e-mail the learner at each transition."""

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django_tasks import task

from learners.workbooks.models import SubmissionStatus, WorkbookSubmission

SUBJECTS = {
    SubmissionStatus.SUBMITTED: _("Workbook received: “{title}”"),
    SubmissionStatus.ACCEPTED: _("Workbook accepted: “{title}”"),
    SubmissionStatus.REVISE: _("Workbook reviewed, please revise: “{title}”"),
}


@task()
def workbook_notify(submission_id: int) -> bool:
    """Tell the learner their version was received, accepted or returned for revision."""
    submission = (
        WorkbookSubmission.objects.select_related("workbook__user").filter(pk=submission_id).first()
    )
    if submission is None:
        return False
    workbook = submission.workbook
    person = workbook.user
    if not person.is_active or not person.email:
        return False
    link = settings.SITE_URL.rstrip("/") + reverse(
        "learn_workbook_submission", args=[workbook.public_id, submission.number]
    )
    body = render_to_string(
        "learners/workbooks/email/transition.txt",
        {"person": person, "submission": submission, "workbook": workbook, "link": link},
    )
    subject = str(SUBJECTS[submission.status]).format(title=workbook.page_title)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [person.email])
    return True
