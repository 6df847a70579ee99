"""Issue the Open Badges credential of every certificate that has none; idempotent."""

from django.core.management.base import BaseCommand, CommandError

from learners.credentials.keys import SigningKeyMissing
from learners.credentials.services import credentials_backfill


class Command(BaseCommand):
    help = "Sign a credential for every certificate without one, then re-sign the status lists."

    def handle(self, *args, **options):
        try:
            count = credentials_backfill()
        except SigningKeyMissing as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"{count} credential(s) issued.")
