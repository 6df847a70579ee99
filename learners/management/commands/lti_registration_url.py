"""Print a one-time LTI Dynamic Registration address (valid 24 hours) for a platform."""

from django.conf import settings
from django.core.management.base import BaseCommand
from django.urls import reverse

from learners.lti.registration import registration_token_make


class Command(BaseCommand):
    help = (
        "Print a one-time address (valid 24 hours) to paste into a platform's LTI Dynamic "
        "Registration (Moodle: Manage tools › Tool URL)."
    )

    def handle(self, *args, **options):
        token = registration_token_make()
        path = reverse("lti_register", args=[token])
        self.stdout.write(f"{settings.SITE_URL.rstrip('/')}{path}")
