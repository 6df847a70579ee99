"""Production settings beyond the basics: sessions, connections, tasks, logs, Sentry, waiting."""

import json
import logging

import pytest

from cms.logging import JsonFormatter
from tests.cms.test_settings import _run

SHOW = (
    "from django.conf import settings as s; import json; print(json.dumps({"
    "'session': s.SESSION_ENGINE, 'tasks': s.TASKS['default']['BACKEND'],"
    "'task_backend': s.TASK_BACKEND, 'rq_app': 'django_tasks_rq' in s.INSTALLED_APPS,"
    "'max_age': s.DATABASES['default']['CONN_MAX_AGE'],"
    "'health_checks': s.DATABASES['default']['CONN_HEALTH_CHECKS']}))"
)


def _settings(tmp_path, **overrides):
    result = _run(["shell", "--no-imports", "-c", SHOW], tmp_path, **overrides)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_without_redis_sessions_and_tasks_stay_in_the_database(tmp_path):
    shown = _settings(tmp_path)
    assert shown["session"] == "django.contrib.sessions.backends.db"
    assert shown["task_backend"] == "database"
    assert shown["tasks"] == "django_tasks_db.DatabaseBackend"
    assert shown["max_age"] == 60
    assert shown["health_checks"] is True


def test_with_redis_sessions_are_cached_and_tasks_go_to_rq(tmp_path):
    shown = _settings(tmp_path, REDIS_URL="redis://127.0.0.1:6379/9", DATABASE_CONN_MAX_AGE="0")
    assert shown["session"] == "django.contrib.sessions.backends.cached_db"
    assert shown["task_backend"] == "rq"
    assert shown["tasks"] == "django_tasks_rq.RQBackend"
    assert shown["rq_app"] is True
    assert shown["max_age"] == 0


def test_task_backend_can_still_be_chosen(tmp_path):
    shown = _settings(tmp_path, REDIS_URL="redis://127.0.0.1:6379/9", TASK_BACKEND="database")
    assert shown["tasks"] == "django_tasks_db.DatabaseBackend"
    assert shown["rq_app"] is False


def test_rq_without_redis_is_refused(tmp_path):
    result = _run(["check"], tmp_path, TASK_BACKEND="rq")
    assert result.returncode != 0
    assert "TASK_BACKEND=rq needs REDIS_URL" in result.stderr


def test_deploy_check_stays_clean_with_redis_and_object_storage(tmp_path):
    result = _run(
        ["check", "--deploy", "--fail-level", "WARNING"],
        tmp_path,
        REDIS_URL="redis://127.0.0.1:6379/9",
        AWS_STORAGE_BUCKET_NAME="capacitas-media",
        AWS_S3_ENDPOINT_URL="http://127.0.0.1:8449",
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_logs_are_one_json_object_per_line(tmp_path):
    code = "import logging; logging.getLogger('capacitas.probe').warning('hello %s', 'ops')"
    result = _run(["shell", "--no-imports", "-c", code], tmp_path)
    assert result.returncode == 0, result.stderr
    line = next(line for line in result.stderr.splitlines() if "capacitas.probe" in line)
    entry = json.loads(line)
    assert entry["level"] == "WARNING"
    assert entry["message"] == "hello ops"


def test_json_formatter_keeps_extra_fields_and_exceptions():
    try:
        raise ValueError("boom")
    except ValueError:
        import sys

        record = logging.makeLogRecord(
            {"name": "x", "levelname": "ERROR", "msg": "failed", "exc_info": sys.exc_info()}
        )
    record.status_code = 500
    record.request = object()  # not JSON-serialisable: written as its str()
    entry = json.loads(JsonFormatter().format(record))
    assert entry["status_code"] == 500
    assert "ValueError: boom" in entry["exception"]
    assert entry["request"].startswith("<object object")


def test_sentry_is_initialised_only_with_a_dsn(tmp_path):
    pytest.importorskip("sentry_sdk")
    code = "import sentry_sdk; print(sentry_sdk.get_client().is_active())"
    without = _run(["shell", "--no-imports", "-c", code], tmp_path)
    assert without.stdout.strip().splitlines()[-1] == "False", without.stderr
    # A DSN on a loopback port nothing listens on: initialising sends nothing.
    with_dsn = _run(
        ["shell", "--no-imports", "-c", code],
        tmp_path,
        SENTRY_DSN="http://public@127.0.0.1:1/1",
    )
    assert with_dsn.stdout.strip().splitlines()[-1] == "True", with_dsn.stderr


def test_wait_for_services_names_what_is_unreachable(tmp_path):
    result = _run(
        ["wait_for_services", "--timeout", "1"], tmp_path, REDIS_URL="redis://127.0.0.1:1/0"
    )
    assert result.returncode != 0
    assert "Still unreachable" in result.stderr
    assert "redis" in result.stderr


def test_wait_for_services_returns_when_the_database_answers(tmp_path):
    result = _run(["wait_for_services", "--timeout", "5"], tmp_path)
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(
    ("environment", "expected"),
    [
        # Measured on 2 cores (benchmarks/README.md): more workers than cores help PostgreSQL,
        # where a worker waits on another process, and slow SQLite down.
        ({"DATABASE_URL": "postgres://db/capacitas"}, lambda cores: 2 * cores + 1),
        ({"DATABASE_URL": "sqlite:///data/db.sqlite3"}, lambda cores: cores + 1),
        ({}, lambda cores: cores + 1),
        ({"DATABASE_URL": "postgres://db/capacitas", "WEB_CONCURRENCY": ""}, lambda c: 2 * c + 1),
        ({"DATABASE_URL": "postgres://db/capacitas", "WEB_CONCURRENCY": "7"}, lambda cores: 7),
    ],
)
def test_gunicorn_picks_its_workers_from_the_database_and_the_cores(
    monkeypatch, environment, expected
):
    import multiprocessing
    import runpy
    from pathlib import Path

    for name in ("DATABASE_URL", "WEB_CONCURRENCY"):
        monkeypatch.delenv(name, raising=False)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    config = runpy.run_path(str(Path(__file__).resolve().parents[2] / "gunicorn.conf.py"))
    assert config["workers"] == expected(multiprocessing.cpu_count())
