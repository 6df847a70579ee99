"""Recompute the HR dashboard's tallies from the enrolments.

The services and signals keep them current; run this after loading rows by other means (a
restore, a bulk import, raw SQL) or to check them: `--check` reports the groups that differ
and exits with status 1 when any does, without changing anything.
"""

from django.core.management.base import BaseCommand, CommandError

from learners.hr.tallies import tallies_current, tallies_expected, tallies_rebuild


class Command(BaseCommand):
    help = "Recompute the HR dashboard's per-organisation tallies from the enrolments."

    def add_arguments(self, parser):
        parser.add_argument(
            "--check", action="store_true", help="only compare; exit 1 if any group differs"
        )

    def handle(self, *args, check: bool = False, **options):
        if check:
            expected, current = tallies_expected(), tallies_current()
            wrong = sorted(
                key
                for key in expected.keys() | current.keys()
                if expected.get(key) != current.get(key)
            )
            for key in wrong:
                self.stdout.write(f"{key}: kept {current.get(key)}, expected {expected.get(key)}")
            if wrong:
                raise CommandError(f"{len(wrong)} HR tally groups differ from the enrolments.")
            self.stdout.write(f"HR tallies match the enrolments ({len(expected)} groups).")
            return
        groups = tallies_rebuild()
        self.stdout.write(f"Rebuilt the HR tallies: {groups} groups.")
