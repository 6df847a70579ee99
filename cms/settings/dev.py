from .base import *

DEBUG = True
SECRET_KEY = env("SECRET_KEY") or "dev-only-insecure-key-do-not-use-in-production"
EMAIL_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")

# Static files come straight from static/ (finders); nothing is collected outside production.
STATIC_ROOT = None
WHITENOISE_USE_FINDERS = True
