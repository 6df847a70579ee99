from django.core.management.base import BaseCommand

from learners.hr.services import export_jobs_purge


class Command(BaseCommand):
    help = (
        "Hourly or daily: delete HR export files past their expiry (and jobs a stopped worker "
        "left unfinished for a day). Safe to run at any time."
    )

    def handle(self, *args, **options):
        removed = export_jobs_purge()
        self.stdout.write(f"{removed} HR exports purged.")
