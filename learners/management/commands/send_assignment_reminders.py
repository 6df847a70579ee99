from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from learners.hr.services import assignment_recurrences_reopen, digests_send, reminders_send


class Command(BaseCommand):
    help = (
        "Daily: reopen recurring assignments that are due for renewal, e-mail learners 14 and "
        "3 days before a due date and when overdue (once each), and send each HR officer a "
        "weekly digest (once per ISO week). Safe to run more than once a day."
    )

    def add_arguments(self, parser):
        parser.add_argument("--date", help="Pretend today is this date (YYYY-MM-DD).")

    def handle(self, *args, **options):
        try:
            today = date.fromisoformat(options["date"]) if options["date"] else None
        except ValueError as error:
            raise CommandError("--date must be YYYY-MM-DD") from error
        today = today or timezone.localdate()
        reopened = assignment_recurrences_reopen(today=today)
        reminders = reminders_send(today=today)
        digests = digests_send(today=today)
        self.stdout.write(
            f"{today.isoformat()}: {reopened} recurring assignments reopened, "
            f"{reminders} reminders sent, {digests} HR digests sent."
        )
