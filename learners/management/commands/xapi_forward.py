from django.core.management.base import BaseCommand

from learners.xapi.services import outbox_drain


class Command(BaseCommand):
    help = (
        "Send the xAPI outbox's due statements to every active LRS now. The task worker does "
        "this after each event; run this from cron every few minutes so retries whose backoff "
        "has passed go out even when no new event arrives."
    )

    def handle(self, *args, **options):
        report = outbox_drain()
        self.stdout.write(
            f"sent {report.sent}, failed {report.failed}, dead {report.dead}, "
            f"batches {report.batches}"
        )
