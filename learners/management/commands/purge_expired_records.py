from django.core.management.base import BaseCommand

from learners.privacy.retention import records_purge


class Command(BaseCommand):
    help = (
        "Apply the retention settings (docs/privacy.md): delete activity-log entries older than "
        "PRIVACY_ACTIVITY_RETENTION_DAYS, erase the answers of quiz attempts closed more than "
        "PRIVACY_ATTEMPT_ANSWERS_RETENTION_DAYS ago, and delete data-export files whose link "
        "has expired. Run daily from cron; a second run the same day finds nothing new."
    )

    def handle(self, *args, **options):
        for name, count in records_purge().items():
            self.stdout.write(f"{name}: {count}")
