"""Settings shared by every environment; values that differ come from the environment."""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env(name: str, default: str | None = None) -> str | None:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


SECRET_KEY = env("SECRET_KEY", "")
DEBUG = False
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "cms",
    "courses",
    "learners",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail_localize",
    "wagtail_localize.locales",  # replaces wagtail.locales: the admin's Locales screen
    "wagtail.embeds",
    "wagtail.sites",
    "learners.apps.LearnersUsersConfig",  # wagtail.users with our user forms
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "lti_tool",  # django-lti: LTI 1.3 registrations, deployments, tool keys (learners/lti)
    "django_tasks",
    "django_tasks_db",
    "allauth",
    "allauth.account",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "allauth.socialaccount.providers.saml",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
]

MIDDLEWARE = [
    "cms.health.HealthCheckMiddleware",  # probes answer before host checks and redirects
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "cms.middleware.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Headers first, so that every answer below (the 400 of the next one included) has them.
    "cms.middleware.ContentSecurityPolicyMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "cms.middleware.PrivateCacheMiddleware",
    "cms.middleware.InvalidInputMiddleware",
    # Old addresses without /en/ or /es/ redirect to the visitor's language (cms/urls.py).
    "cms.middleware.LanguagePrefixRedirectMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # After the CSP and X-Frame-Options middleware, so its answer reaches them first: pages of
    # a session an LTI launch started may be framed by that registered platform (learners/lti).
    "learners.lti.framing.LtiFramingMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Course pages and catalogues for anonymous visitors, from the cache, before routing.
    "courses.page_cache.AnonymousPageCacheMiddleware",
    # Course and lesson pages of signed-in learners, from the cache, before routing
    # (LEARNER_PAGE_CACHE below).
    "learners.progress.page_cache.LearnerPageCacheMiddleware",
    # Routes Wagtail page requests in two queries instead of two per level of the tree.
    "courses.routing.PageRouteMiddleware",
]

ROOT_URLCONF = "cms.urls"
WSGI_APPLICATION = "cms.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "csp.context_processors.nonce",
                # Last: a page rendered for the anonymous page cache gets a CSRF placeholder.
                "courses.page_cache.csrf_placeholder",
            ],
            # `|iso_datetime` for every <time datetime="…">, without a {% load %} to forget.
            "builtins": ["cms.templatetags.html_dates"],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=int(env("DATABASE_CONN_MAX_AGE", "0")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Several processes (web workers, the task worker) and threads write to one file.
    # - IMMEDIATE: a transaction takes the write lock at BEGIN, so a writer waits for its turn
    #   (busy timeout) instead of failing at once with "database is locked" when it tries to
    #   upgrade a read lock that another writer has overtaken (Django's default, DEFERRED).
    # - WAL: readers never wait for the writer, nor the writer for readers.
    # - synchronous=NORMAL: in WAL mode a commit no longer waits for fsync; a power cut may
    #   lose the last commits but never corrupts the file.
    # - busy_timeout: how long a writer waits for the lock. `timeout` is the driver's name for
    #   the same setting, applied at connect time, before init_command switches to WAL. SQLite
    #   does not queue waiting writers fairly, so on a CPU-starved machine one of 16 concurrent
    #   writers waited more than 5 s (measured in tests/cms/test_sqlite_concurrency.py); 20 s
    #   stays under the web server's request timeout.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=20000"
            ),
        }
    )

REDIS_URL = env("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {"CLIENT_CLASS": "django_redis.client.DefaultClient"},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Signed-in learners' course and lesson pages answered whole from the cache, keyed on their
# learner-state version (learners/progress/page_cache.py, docs/performance.md). Off: every
# such page is rendered on every request. On by default where every web process shares the
# cache (Redis), and in dev and test (one process): with a local-memory cache per process, a
# worker other than the one that recorded a learner's progress would keep showing the page as
# it was before, so there it is on only when set explicitly (one web process).
LEARNER_PAGE_CACHE = env_bool("LEARNER_PAGE_CACHE", bool(REDIS_URL))

# Sessions stay in the database (they survive a Redis flush) and are read from the cache, so
# a logged-in request costs no session query once Redis holds it.
if REDIS_URL:
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"


def task_settings(backend: str) -> tuple[dict, list[str]]:
    """TASKS for `backend`, and the apps it needs installed.

    Slow or external work (certificate PDFs, e-mail, large exports) runs through Django's tasks
    API. "immediate" runs it inline; "database" queues it for `manage.py db_worker`; "rq" queues
    it in Redis for `manage.py rqworker --job-class django_tasks_rq.Job` (needs REDIS_URL).
    """
    backends = {
        "immediate": "django_tasks.backends.immediate.ImmediateBackend",
        "database": "django_tasks_db.DatabaseBackend",
        "rq": "django_tasks_rq.RQBackend",
        "dummy": "django_tasks.backends.dummy.DummyBackend",
    }
    if backend not in backends:
        raise ImproperlyConfigured(f"TASK_BACKEND must be one of {', '.join(backends)}.")
    if backend != "rq":
        return {"default": {"BACKEND": backends[backend]}}, []
    if not REDIS_URL:
        raise ImproperlyConfigured("TASK_BACKEND=rq needs REDIS_URL.")
    return {"default": {"BACKEND": backends[backend], "QUEUES": ["default"]}}, [
        "django_rq",
        "django_tasks_rq",
    ]


TASK_BACKEND = env("TASK_BACKEND", "immediate")
TASKS, _task_apps = task_settings(TASK_BACKEND)
INSTALLED_APPS += _task_apps
# django-rq's queues (used by the "rq" task backend); harmless when nothing uses them.
RQ_QUEUES = {"default": {"URL": REDIS_URL or "redis://127.0.0.1:6379/0", "DEFAULT_TIMEOUT": 600}}

AUTH_USER_MODEL = "learners.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# django-allauth: e-mail is the login, verification is mandatory, enumeration is prevented.
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = env("ACCOUNT_EMAIL_VERIFICATION", "mandatory")
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_SIGNUP_FORM_CLASS = "learners.accounts.forms.SignupProfileForm"
ACCOUNT_ADAPTER = "learners.accounts.adapters.AccountAdapter"
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Capacitas] "
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "20/m/ip",
    "confirm_email": "1/3m/key",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_email": "5/m/ip",
    "change_password": "5/m/user",
}
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "learn_dashboard"
ACCOUNT_LOGOUT_REDIRECT_URL = "/"

# Single sign-on (docs/membership.md): OpenID Connect and SAML identity providers are SocialApps
# set up in the Wagtail admin (Organisations → Single sign-on providers), with the rules that
# map their claims to organisations and departments.
SOCIALACCOUNT_ADAPTER = "learners.accounts.adapters.SocialAccountAdapter"
SOCIALACCOUNT_EMAIL_VERIFICATION = "mandatory"  # unless the provider says it verified the address
SOCIALACCOUNT_STORE_TOKENS = False  # only the claims are needed, not the provider's tokens

# The languages of the interface and of the content. Adding one (say French) is configuration:
# append ("fr", _("French")) here, compile locale/fr, and create its Locale in the admin (or run
# load_demo); URLs under /fr/ and the language switcher follow. See docs/translation.md.
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("es", _("Spanish"))]
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(BASE_DIR / "media")))
# Files only their owner may read (certificate PDFs, HR and personal-data exports) never sit
# under MEDIA_ROOT, which a web server may serve as it is; views hand them out after their
# permission checks.
PRIVATE_MEDIA_ROOT = Path(env("PRIVATE_MEDIA_ROOT", str(BASE_DIR / "private-media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "private": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": PRIVATE_MEDIA_ROOT, "base_url": None},
    },
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# S3-compatible object storage (AWS S3, MinIO, Ceph, Scaleway…) when a bucket is named: public
# media under media/, private files under private/ (of AWS_PRIVATE_BUCKET_NAME when set), handed
# out as signed URLs that expire after AWS_QUERYSTRING_EXPIRE seconds. Credentials come from
# AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY or the instance role, as boto3 finds them.
AWS_STORAGE_BUCKET_NAME = env("AWS_STORAGE_BUCKET_NAME")
PRIVATE_STORAGE_SIGNED_URLS = bool(AWS_STORAGE_BUCKET_NAME)
if AWS_STORAGE_BUCKET_NAME:
    _s3 = {
        "endpoint_url": env("AWS_S3_ENDPOINT_URL") or None,
        "region_name": env("AWS_S3_REGION_NAME") or None,
        "addressing_style": env("AWS_S3_ADDRESSING_STYLE") or None,
        # Signature V4: the only one AWS accepts in newer regions, and what S3-compatible
        # services implement; boto3 may otherwise presign with the deprecated V2.
        "signature_version": env("AWS_S3_SIGNATURE_VERSION", "s3v4"),
        "file_overwrite": False,
    }
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            **_s3,
            "bucket_name": AWS_STORAGE_BUCKET_NAME,
            "location": "media",
            "custom_domain": env("AWS_S3_CUSTOM_DOMAIN") or None,
            # Public media (images, documents) is read through plain, cacheable URLs: the bucket
            # policy makes media/ public, or AWS_MEDIA_ACL=public-read where ACLs are in use.
            "querystring_auth": False,
            "default_acl": env("AWS_MEDIA_ACL") or None,
        },
    }
    STORAGES["private"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            **_s3,
            "bucket_name": env("AWS_PRIVATE_BUCKET_NAME") or AWS_STORAGE_BUCKET_NAME,
            "location": "private",
            "default_acl": "private",
            "querystring_auth": True,
            "querystring_expire": int(env("AWS_QUERYSTRING_EXPIRE", "300")),
        },
    }

# Privacy (docs/privacy.md): how long a data-export link works, and how long records are kept
# before `purge_expired_records` deletes or pseudonymises them.
PRIVACY_EXPORT_LINK_HOURS = int(env("PRIVACY_EXPORT_LINK_HOURS", "24"))
PRIVACY_ACTIVITY_RETENTION_DAYS = int(env("PRIVACY_ACTIVITY_RETENTION_DAYS", str(5 * 365)))
PRIVACY_ATTEMPT_ANSWERS_RETENTION_DAYS = int(
    env("PRIVACY_ATTEMPT_ANSWERS_RETENTION_DAYS", str(2 * 365))
)
PRIVACY_NOTICE_SLUG = env("PRIVACY_NOTICE_SLUG", "privacy")

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

EMAIL_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = env("EMAIL_HOST", "localhost")
EMAIL_PORT = int(env("EMAIL_PORT", "25"))
EMAIL_HOST_USER = env("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "Capacitas <no-reply@capacitas.example>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL


def served_site_url(host: str | None, port: str | None) -> str:
    """The address a development server answers on, for links in e-mails and certificates.

    A wildcard bind (0.0.0.0, ::) is no address a browser can open, so links use loopback.
    """
    host = (host or "127.0.0.1").strip()
    if host in ("0.0.0.0", "::", "[::]", "*"):  # noqa: S104 - read, never bound here
        host = "127.0.0.1"
    elif ":" in host and not host.startswith("["):
        host = f"[{host}]"  # an IPv6 literal in a URL
    port = (port or "8000").strip()
    return f"http://{host}:{port}"


WAGTAIL_SITE_NAME = "Capacitas"
WAGTAILADMIN_BASE_URL = env("SITE_URL", "http://127.0.0.1:8000")
SITE_URL = WAGTAILADMIN_BASE_URL

# Open Badges 3.0 credentials (docs/interoperability.md): the Ed25519 signing key, as a private
# JWK (JSON) or PEM in the environment, or a path to a file holding one. Never committed.
OB3_SIGNING_KEY = env("OB3_SIGNING_KEY", "")
OB3_SIGNING_KEY_FILE = env("OB3_SIGNING_KEY_FILE", "")
# Outside production a missing key file is generated on first use.
OB3_GENERATE_KEY = False
OB3_ISSUER_NAME = env("OB3_ISSUER_NAME", "")
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILEMBEDS_RESPONSIVE_HTML = True
WAGTAIL_I18N_ENABLED = True
WAGTAILDOCS_SERVE_METHOD = "serve_view"
WAGTAILIMAGES_EXTENSIONS = ["gif", "jpg", "jpeg", "png", "webp", "svg"]

# Demo accounts share this password; load_demo refuses to run under production settings.
DEMO_PASSWORD = env("DEMO_PASSWORD", "capacitas-demo")

# xAPI statements to Learning Record Stores (docs/interoperability.md). An LRS is configured in
# the admin (Settings › Learning record stores) or here; the secret is read from the environment
# variable the LRS names (XAPI_LRS_SECRET for this one) when a batch is sent, never stored.
XAPI_LRS_ENDPOINT = env("XAPI_LRS_ENDPOINT", "")
XAPI_LRS_KEY = env("XAPI_LRS_KEY", "")
XAPI_LRS_VERBS = env_list("XAPI_LRS_VERBS")  # verb IRIs; empty means every verb
XAPI_ACTOR_MBOX = env_bool("XAPI_ACTOR_MBOX", False)  # True: actors by e-mail, not an account
XAPI_PLATFORM = env("XAPI_PLATFORM", "Capacitas")
XAPI_BATCH_SIZE = int(env("XAPI_BATCH_SIZE", "100"))
XAPI_MAX_ATTEMPTS = int(env("XAPI_MAX_ATTEMPTS", "8"))
XAPI_RETRY_BASE_SECONDS = int(env("XAPI_RETRY_BASE_SECONDS", "60"))
XAPI_RETRY_MAX_SECONDS = int(env("XAPI_RETRY_MAX_SECONDS", str(6 * 3600)))
XAPI_TIMEOUT_SECONDS = float(env("XAPI_TIMEOUT_SECONDS", "10"))

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "SAMEORIGIN"
SESSION_COOKIE_HTTPONLY = True
# "None" lets an LTI launch inside a platform's iframe keep its session (third-party cookie;
# browsers then require Secure, i.e. HTTPS). Lax by default: docs/interoperability.md ("LTI").
SESSION_COOKIE_SAMESITE = env("SESSION_COOKIE_SAMESITE", "Lax")
CSRF_COOKIE_SAMESITE = env("CSRF_COOKIE_SAMESITE", "Lax")

# Content-Security-Policy (django-csp). The site's own pages run only scripts and styles from
# this origin; an inline <script> must carry nonce="{{ CSP_NONCE }}". Lesson videos come from
# the two players that courses/blocks/lesson.py embeds. CSP_REPORT_ONLY=true sends the same
# policy as Content-Security-Policy-Report-Only (to try a change without breaking pages);
# CSP_REPORT_URI collects violation reports. docs/operations.md ("Security") explains it.
from csp.constants import NONCE, NONE, SELF, UNSAFE_INLINE  # noqa: E402

CSP_VIDEO_PLAYERS = ["https://www.youtube-nocookie.com", "https://player.vimeo.com"]
_CSP_DIRECTIVES = {
    "default-src": [SELF],
    "script-src": [SELF, NONCE],
    "style-src": [SELF],
    "img-src": [SELF, "data:"],
    "font-src": [SELF],
    "media-src": [SELF],
    "frame-src": [SELF, *CSP_VIDEO_PLAYERS],
    "connect-src": [SELF],
    "object-src": [NONE],
    "base-uri": [SELF],
    "form-action": [SELF],
    "frame-ancestors": [SELF],
}
# The Wagtail admin (and the previews it renders) still relies on inline scripts and styles
# (wagtail/wagtail#1288), so /admin/ gets this looser policy deliberately: inline code
# allowed, but nothing from another origin, no plugins, no framing by other sites.
CSP_ADMIN_PREFIX = "/admin/"
_CSP_ADMIN_DIRECTIVES = {
    **_CSP_DIRECTIVES,
    "script-src": [SELF, UNSAFE_INLINE],
    "style-src": [SELF, UNSAFE_INLINE],
    "img-src": [SELF, "data:", "blob:"],
}
CSP_REPORT_URI = env("CSP_REPORT_URI")
if CSP_REPORT_URI:
    _CSP_DIRECTIVES["report-uri"] = [CSP_REPORT_URI]
    _CSP_ADMIN_DIRECTIVES["report-uri"] = [CSP_REPORT_URI]
CSP_REPORT_ONLY = env_bool("CSP_REPORT_ONLY", False)
_csp_policy = {"DIRECTIVES": _CSP_DIRECTIVES}
CONTENT_SECURITY_POLICY = None if CSP_REPORT_ONLY else _csp_policy
CONTENT_SECURITY_POLICY_REPORT_ONLY = _csp_policy if CSP_REPORT_ONLY else None
CSP_ADMIN_DIRECTIVES = _CSP_ADMIN_DIRECTIVES
# Wagtail would load staff avatars from Gravatar, handing a hash of each e-mail address to a
# third party (and failing on a closed network); the admin shows its default avatar instead.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
# Nor does the admin ask releases.wagtail.org for new versions (operators upgrade through pip).
WAGTAIL_ENABLE_UPDATE_CHECK = False

# Permissions-Policy (django-permissions-policy): no page here needs a camera, a microphone,
# the location or payments; lesson videos may go full screen and picture-in-picture, and the
# "Copy verification link" button writes to the clipboard.
PERMISSIONS_POLICY = {
    "accelerometer": [],
    "autoplay": [],
    "camera": [],
    "clipboard-write": ["self"],
    "display-capture": [],
    "encrypted-media": ["self", *CSP_VIDEO_PLAYERS],
    "fullscreen": ["self", *CSP_VIDEO_PLAYERS],
    "geolocation": [],
    "gyroscope": [],
    "magnetometer": [],
    "microphone": [],
    "midi": [],
    "payment": [],
    "picture-in-picture": ["self", *CSP_VIDEO_PLAYERS],
    "screen-wake-lock": [],
    "usb": [],
    "xr-spatial-tracking": [],
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    "loggers": {
        # Every task run and page publish is logged at INFO; keep the console readable.
        "django_tasks": {"level": "WARNING"},
        "wagtail": {"level": "WARNING"},
    },
}

# Membership (docs/membership.md): how long an invitation link stays valid.
INVITATION_MAX_AGE_DAYS = int(env("INVITATION_MAX_AGE_DAYS", "14"))
