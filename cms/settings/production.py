from django.core.exceptions import ImproperlyConfigured

from .base import *

DEBUG = False
SECRET_KEY = env("SECRET_KEY")
if not SECRET_KEY:
    raise ImproperlyConfigured("SECRET_KEY must be set in the environment for production.")
# No development fallback here: the operator names the hosts this site answers to.
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must be set in the environment for production.")

ACCOUNT_EMAIL_VERIFICATION = "mandatory"
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
# A load balancer probes over plain HTTP inside the network; a redirect would fail its check.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = int(env("SECURE_HSTS_SECONDS", "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
# Only `make serve` (plain HTTP on this machine) turns these off; see docs/operations.md.
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", True)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", True)
STORAGES["staticfiles"] = {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"}
SILENCED_SYSTEM_CHECKS = [
    # Wagtail's live preview renders pages in a same-origin iframe, so SAMEORIGIN is required.
    "security.W019",
    # HSTS preload is a deliberate opt-in (SECURE_HSTS_PRELOAD) for the operator's domain.
    "security.W021",
]

# Persistent connections: a request no longer pays for connecting, and a connection that the
# database (or a pooler) closed meanwhile is noticed before use instead of failing the request.
DATABASES["default"]["CONN_MAX_AGE"] = int(env("DATABASE_CONN_MAX_AGE", "60"))
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

# Background work is the norm in production: in Redis when there is one, else in the database.
TASK_BACKEND = env("TASK_BACKEND") or ("rq" if REDIS_URL else "database")
TASKS, _task_apps = task_settings(TASK_BACKEND)
INSTALLED_APPS += [app for app in _task_apps if app not in INSTALLED_APPS]

# One JSON object per line on stdout, for whatever collects the containers' logs.
LOGGING["formatters"] = {"json": {"()": "cms.logging.JsonFormatter"}}
LOGGING["handlers"]["console"]["formatter"] = "json"

SENTRY_DSN = env("SENTRY_DSN")
if SENTRY_DSN:
    try:
        import sentry_sdk
        from sentry_sdk.integrations.django import DjangoIntegration
    except ImportError as error:
        raise ImproperlyConfigured(
            'SENTRY_DSN is set but sentry-sdk is not installed: pip install "capacitas[sentry]".'
        ) from error
    sentry_sdk.init(
        dsn=SENTRY_DSN,
        integrations=[DjangoIntegration()],
        environment=env("SENTRY_ENVIRONMENT", "production"),
        release=env("SENTRY_RELEASE") or None,
        traces_sample_rate=float(env("SENTRY_TRACES_SAMPLE_RATE", "0")),
        # Learners are civil servants: no personal data leaves for a third party by default.
        send_default_pii=False,
    )
