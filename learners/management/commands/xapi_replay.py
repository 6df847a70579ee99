from datetime import date

from django.core.management.base import BaseCommand, CommandError

from learners.xapi.models import LearningRecordStore
from learners.xapi.services import outbox_replay


class Command(BaseCommand):
    help = (
        "Queue the activity log since a date again for every active LRS (or those named with "
        "--lrs), e.g. to backfill a newly connected LRS. Statement ids come from the events, so "
        "the LRS keeps one copy of each statement however often this runs. The worker (or "
        "xapi_forward) then sends them."
    )

    def add_arguments(self, parser):
        parser.add_argument("--since", required=True, help="YYYY-MM-DD (from 00:00 that day)")
        parser.add_argument("--lrs", action="append", default=[], help="an LRS's name")

    def handle(self, *args, since: str, lrs: list[str], **options):
        try:
            start = date.fromisoformat(since)
        except ValueError:
            raise CommandError(f"--since must be a date as YYYY-MM-DD, not {since!r}.") from None
        if lrs:
            unknown = set(lrs) - set(
                LearningRecordStore.objects.filter(name__in=lrs, active=True).values_list(
                    "name", flat=True
                )
            )
            if unknown:
                raise CommandError(f"No active LRS named {', '.join(sorted(unknown))}.")
        queued = outbox_replay(since=start, lrs_names=lrs or None)
        self.stdout.write(f"{queued} statements queued since {start.isoformat()}.")
