"""`manage.py check --deploy`: a production site must have its own signing key."""

from pathlib import Path

from django.conf import settings
from django.core import checks

HINT = (
    "Set OB3_SIGNING_KEY (a private Ed25519 JWK or PEM) or OB3_SIGNING_KEY_FILE (a path to "
    "one, outside the repository); see docs/interoperability.md."
)


@checks.register(checks.Tags.security, deploy=True)
def signing_key_configured(app_configs=None, **kwargs):
    if getattr(settings, "OB3_SIGNING_KEY", ""):
        return []
    path = getattr(settings, "OB3_SIGNING_KEY_FILE", "")
    if path and (Path(path).is_file() or getattr(settings, "OB3_GENERATE_KEY", False)):
        return []
    message = (
        f"The Open Badges signing key file {path} does not exist: certificates are issued "
        "without a credential."
        if path
        else "No Open Badges signing key: certificates are issued without a credential."
    )
    return [checks.Warning(message, hint=HINT, id="learners.W301")]
