from django.core.management.base import BaseCommand

from learners.certificates.services import certificate_reminders_send


class Command(BaseCommand):
    help = (
        "E-mail holders whose certificates expire in 60 and in 7 days (once per threshold). "
        "Run daily from cron; running it twice the same day sends nothing new."
    )

    def handle(self, *args, **options):
        sent = certificate_reminders_send()
        self.stdout.write(f"Certificate reminders sent: {sent}")
