"""Replace the Open Badges signing key; credentials signed by the old one stay verifiable."""

import json

from django.core.management.base import BaseCommand, CommandError

from learners.credentials.keys import key_generate
from learners.credentials.services import KeyRotationRefused, signing_key_rotate


class Command(BaseCommand):
    help = (
        "Generate a new Ed25519 signing key into OB3_SIGNING_KEY_FILE, keep the old public key "
        "in the published key set (/.well-known/jwks.json) and re-sign the status lists. "
        "With --print, only print a new private key (JWK) for OB3_SIGNING_KEY."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--print",
            action="store_true",
            help="print a new private key as a JWK and change nothing",
        )

    def handle(self, *args, **options):
        if options["print"]:
            self.stdout.write(json.dumps(key_generate().as_dict(private=True)))
            return
        try:
            old, new = signing_key_rotate()
        except KeyRotationRefused as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"Signing key {old.kid} retired (still published); new key {new.kid}.")
