"""gunicorn settings for Capacitas; every value can be changed through the environment.

`gunicorn -c gunicorn.conf.py cms.wsgi` (deploy/start-web does exactly this).
"""

import multiprocessing
import os

import dj_database_url


def _int(name: str, default: int) -> int:
    # Set but empty (compose's `${WEB_CONCURRENCY:-}`) means the default.
    return int(os.environ.get(name) or default)


bind = os.environ.get("GUNICORN_BIND", f"0.0.0.0:{os.environ.get('PORT', '8000')}")
# Sync workers, WEB_CONCURRENCY overrides. Measured on 2 cores (benchmarks/README.md, "Latest
# figures", item 5): with PostgreSQL a worker often waits on another process, and twice the
# cores gave +24 % to +53 % req/s; with SQLite the database runs inside the worker, and more
# processes than cores cost 19 %, so one per core plus one.
_CORES = multiprocessing.cpu_count()
# The settings' own parser, so every scheme they accept (postgres, postgresql, pgsql, postgis)
# counts; without DATABASE_URL the settings use SQLite.
_ENGINE = dj_database_url.parse(os.environ.get("DATABASE_URL") or "sqlite://")["ENGINE"]
_POSTGRES = _ENGINE.endswith(("postgresql", "postgis"))
workers = _int("WEB_CONCURRENCY", 2 * _CORES + 1 if _POSTGRES else _CORES + 1)
threads = _int("GUNICORN_THREADS", 1)
# A request slower than this is killed and logged: a certificate PDF or an export never should be.
timeout = _int("GUNICORN_TIMEOUT", 60)
# On SIGTERM (a deploy, Ctrl+C in `make serve`) requests in flight get this long to finish.
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 30)
keepalive = _int("GUNICORN_KEEPALIVE", 5)
# Recycling workers now and then bounds the memory any slow leak can take.
max_requests = _int("GUNICORN_MAX_REQUESTS", 2000)
max_requests_jitter = _int("GUNICORN_MAX_REQUESTS_JITTER", 200)
backlog = _int("GUNICORN_BACKLOG", 2048)
# X-Forwarded-Proto/-For are trusted only from these addresses (the load balancer).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
# Loaded once in the master: workers fork with the code in shared memory and start at once.
preload_app = os.environ.get("GUNICORN_PRELOAD", "1") == "1"
worker_tmp_dir = os.environ.get("GUNICORN_WORKER_TMP_DIR") or (
    "/dev/shm" if os.path.isdir("/dev/shm") else None  # noqa: S108 - RAM, not a shared temp dir
)
# gunicorn >= 24 opens a control socket at one fixed path per user: several instances on a
# machine (web containers, benchmarks) would fight over it, and nothing here uses it.
control_socket_disable = True

accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
access_log_format = '%(h)s "%(r)s" %(s)s %(B)s %(M)sms "%(a)s"'
if os.environ.get("LOG_FORMAT", "json") == "json":
    # The same one-object-per-line format as Django's own logs in production.
    logconfig_dict = {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"json": {"()": "cms.logging.JsonFormatter"}},
        "handlers": {
            "stdout": {
                "class": "logging.StreamHandler",
                "formatter": "json",
                "stream": "ext://sys.stdout",
            }
        },
        # gunicorn merges this over its defaults, whose root logger names a handler of theirs.
        "root": {"handlers": ["stdout"], "level": "INFO"},
        "loggers": {
            "gunicorn.error": {"handlers": ["stdout"], "level": loglevel.upper(), "propagate": 0},
            "gunicorn.access": {"handlers": ["stdout"], "level": "INFO", "propagate": 0},
        },
    }
