import tempfile

from .base import *

# One process: the local-memory cache is the only one, so the learner-page cache is safe.
LEARNER_PAGE_CACHE = env_bool("LEARNER_PAGE_CACHE", True)

DEBUG = False
SECRET_KEY = "test-only-key"  # noqa: S105
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
MEDIA_ROOT = Path(tempfile.gettempdir()) / "capacitas-test-media"
PRIVATE_STORAGE_SIGNED_URLS = False
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "private": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {
            "location": Path(tempfile.gettempdir()) / "capacitas-test-private",
            "base_url": None,
        },
    },
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WAGTAILADMIN_BASE_URL = "http://testserver"
SITE_URL = "http://testserver"

# Static files come straight from static/ (finders); nothing is collected outside production.
STATIC_ROOT = None
WHITENOISE_USE_FINDERS = True

# Each test run signs credentials with a key of its own, generated outside the repository.
OB3_SIGNING_KEY = ""
OB3_SIGNING_KEY_FILE = str(Path(tempfile.mkdtemp(prefix="capacitas-ob3-")) / "signing-key.jwk")
OB3_GENERATE_KEY = True
