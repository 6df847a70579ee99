"""Liveness (/healthz) and readiness (/readyz) for load balancers and orchestrators.

/healthz answers as long as the process can run a view: it touches nothing else, so a database
outage never gets every web container restarted. /readyz checks what a request needs (database,
cache, task queue, storage) and answers 503 naming what failed, so the load balancer stops
sending traffic to this container until it recovers.
"""

from __future__ import annotations

import logging
import os
import secrets
from collections.abc import Callable

from django.core.cache import cache
from django.core.files.storage import FileSystemStorage, storages
from django.db import connections
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django_tasks import default_task_backend

logger = logging.getLogger(__name__)


def check_database() -> None:
    for alias in connections:
        with connections[alias].cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()


def check_cache() -> None:
    key = f"readyz:{secrets.token_hex(8)}"
    cache.set(key, "1", timeout=10)
    if cache.get(key) != "1":
        raise RuntimeError("the cache did not return what was just stored")
    cache.delete(key)


def check_task_queue() -> None:
    backend_path = f"{type(default_task_backend).__module__}.{type(default_task_backend).__name__}"
    if backend_path.startswith("django_tasks_db."):
        from django_tasks_db.models import DBTaskResult

        # The queue table exists and answers; the database check alone would not tell.
        DBTaskResult.objects.only("pk").first()
    elif backend_path.startswith("django_tasks_rq."):
        import django_rq

        for queue_name in default_task_backend.queues:
            django_rq.get_connection(queue_name).ping()
    # The immediate and dummy backends run (or drop) tasks in-process: nothing to reach.


def check_storage() -> None:
    for alias in ("default", "private"):
        storage = storages[alias]
        if isinstance(storage, FileSystemStorage):
            # exists() on a missing folder is just False; what matters is that files can be
            # written there.
            os.makedirs(storage.location, exist_ok=True)
            if not os.access(storage.location, os.W_OK):
                raise PermissionError(f"{alias} storage folder is not writable")
        elif hasattr(storage, "bucket_name") and hasattr(storage, "connection"):
            # S3: a HEAD on the bucket proves the endpoint, the credentials and the bucket
            # (a HEAD on a missing key would answer "no such file" even without a bucket).
            storage.connection.meta.client.head_bucket(Bucket=storage.bucket_name)
        else:
            storage.exists(".readyz")


CHECKS: dict[str, Callable[[], None]] = {
    "database": check_database,
    "cache": check_cache,
    "task_queue": check_task_queue,
    "storage": check_storage,
}


@never_cache
@require_GET
def healthz(request):
    return JsonResponse({"status": "ok"})


@never_cache
@require_GET
def readyz(request):
    checks: dict[str, str] = {}
    for name, check in CHECKS.items():
        try:
            check()
        except Exception as error:  # noqa: BLE001 - any failure means "not ready"
            # The class name only: the body may be seen by whoever can reach the port.
            checks[name] = f"failed: {type(error).__name__}"
            logger.warning("readiness check %s failed", name, exc_info=True)
        else:
            checks[name] = "ok"
    failed = [name for name, result in checks.items() if result != "ok"]
    return JsonResponse(
        {"status": "unavailable" if failed else "ok", "checks": checks, "failed": failed},
        status=503 if failed else 200,
    )


PROBES = {"/healthz": healthz, "/readyz": readyz}


class HealthCheckMiddleware:
    """Answers the probes before host validation and the HTTPS redirect.

    A load balancer or an orchestrator probes each container at its own address (a Host header
    that ALLOWED_HOSTS rightly does not list) and over plain HTTP inside the network; both would
    otherwise fail the probe (400, 301). First in MIDDLEWARE, it touches only these two paths.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        probe = PROBES.get(request.path_info)
        if probe is not None:
            return probe(request)
        return self.get_response(request)
