"""Settings of the peer's site: a small Wagtail project with wagtail-lms, as its README sets it up.

The stack around the application is held equal to Capacitas' for the benchmark: the database
file or PostgreSQL database, the SQLite options and the connection lifetime come from the
environment that `benchmarks/throughput.py` sets for both sides. DEBUG is off.
"""

import json
import os
from pathlib import Path

HERE = Path(__file__).resolve().parent
# Git-ignored; benchmarks/throughput.py sets every path below explicitly anyway.
DATA = HERE.parent.parent / ".bench-data"

SECRET_KEY = os.environ.get("PEER_SECRET_KEY", "peer-benchmark-only")
DEBUG = False
ALLOWED_HOSTS = os.environ.get("PEER_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",")

INSTALLED_APPS = [
    "peersite",
    "wagtail_lms",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "peersite.urls"
WSGI_APPLICATION = "peersite.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]


def _database() -> dict:
    engine = os.environ.get("PEER_DB_ENGINE", "sqlite")
    options = json.loads(os.environ.get("PEER_DB_OPTIONS") or "{}")
    conn_max_age = int(os.environ.get("PEER_CONN_MAX_AGE", "0"))
    health_checks = os.environ.get("PEER_CONN_HEALTH_CHECKS", "") == "1"
    if engine == "postgres":
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": os.environ.get("PEER_DB_NAME", "peer_bench"),
            "USER": os.environ.get("PEER_DB_USER", "postgres"),
            "HOST": os.environ.get("PEER_DB_HOST", "127.0.0.1"),
            "PORT": os.environ.get("PEER_DB_PORT", "5432"),
            "CONN_MAX_AGE": conn_max_age,
            "CONN_HEALTH_CHECKS": health_checks,
            "OPTIONS": options,
        }
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": os.environ.get("PEER_DB_NAME", str(DATA / "peer.sqlite3")),
        "CONN_MAX_AGE": conn_max_age,
        "CONN_HEALTH_CHECKS": health_checks,
        "OPTIONS": options,
    }


DATABASES = {"default": _database()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
LANGUAGE_CODE = "en"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = os.environ.get("PEER_STATIC_ROOT", str(DATA / "peer-static"))
MEDIA_URL = "/media/"
MEDIA_ROOT = os.environ.get("PEER_MEDIA_ROOT", str(DATA / "peer-media"))

LOGIN_URL = "/accounts/login/"
LOGIN_REDIRECT_URL = "/"

WAGTAIL_SITE_NAME = "wagtail-lms peer"
WAGTAILADMIN_BASE_URL = "http://127.0.0.1"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
