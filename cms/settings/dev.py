from .base import *

# One process: the local-memory cache is the only one, so the learner-page cache is safe.
LEARNER_PAGE_CACHE = env_bool("LEARNER_PAGE_CACHE", True)

DEBUG = True
SECRET_KEY = env("SECRET_KEY") or "dev-only-insecure-key-do-not-use-in-production"
EMAIL_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")

# Static files come straight from static/ (finders); nothing is collected outside production.
STATIC_ROOT = None
WHITENOISE_USE_FINDERS = True

# `make run HOST=… PORT=…` passes the address it serves, so e-mails, the certificate's printed link
# and its QR code point at the server actually running; an explicit SITE_URL still wins.
if not env("SITE_URL"):
    SITE_URL = WAGTAILADMIN_BASE_URL = served_site_url(env("HOST"), env("PORT"))

# A development signing key for Open Badges credentials, generated into a git-ignored file.
if not OB3_SIGNING_KEY and not OB3_SIGNING_KEY_FILE:
    OB3_SIGNING_KEY_FILE = str(BASE_DIR / ".ob3" / "signing-key.jwk")
OB3_GENERATE_KEY = True
