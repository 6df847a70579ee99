"""Re-sign every status list (daily, beside purge_expired_records)."""

from django.core.management.base import BaseCommand, CommandError

from learners.credentials.keys import SigningKeyMissing
from learners.credentials.services import status_lists_refresh


class Command(BaseCommand):
    help = "Re-sign and re-publish the Bitstring Status Lists of the Open Badges credentials."

    def handle(self, *args, **options):
        try:
            count = status_lists_refresh()
        except SigningKeyMissing as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"{count} status list(s) published.")
