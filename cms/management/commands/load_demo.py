from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from cms.demo.certificates import load_certificates
from cms.demo.hr import load_hr
from cms.demo.people import DEMO_ACCOUNTS, load_people
from cms.demo.quizzes import ensure_demo_attempts, load_quizzes
from cms.demo.site import load_site
from cms.demo.translations import load_spanish
from cms.demo.workbook import load_workbook
from learners.credentials.services import credentials_backfill
from learners.hr.tallies import tallies_rebuild


class Command(BaseCommand):
    help = "Load the flagship course, demo organisations and demo accounts (safe to run twice)."

    def handle(self, *args, **options):
        if settings.SETTINGS_MODULE.endswith(".production"):
            raise CommandError(
                "load_demo creates accounts with a shared password; "
                "it refuses to run under production settings."
            )
        with transaction.atomic():
            site = load_site()
            load_quizzes(site["course"])
            people = load_people(site["course"])
            ensure_demo_attempts(site["course"], people["learners"])
            load_certificates(site, people)
            load_hr(site["course"], people)
            load_workbook(site["course"], people)
            load_spanish(site)
            # The demo back-dates some records with update(), which no tally sees: the HR
            # dashboard's tallies are counted afresh from what is there now.
            tallies_rebuild()
        # Every demo certificate is also an Open Badges credential (signed with the development
        # key); issued on commit already, this catches any the task queue has not run yet.
        credentials_backfill()
        self.stdout.write(self.style.SUCCESS("Demo content is ready."))
        self.stdout.write(
            "Demo accounts (password from DEMO_PASSWORD, "
            f"default for local use: {settings.DEMO_PASSWORD}):"
        )
        for email, name, *_rest in DEMO_ACCOUNTS:
            self.stdout.write(f"  {email:<22} {name}")
