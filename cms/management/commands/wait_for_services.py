"""Wait until the database, and Redis when REDIS_URL is set, accept connections.

Containers start in any order (compose, Kubernetes): the web and worker processes wait here
rather than crash-loop while PostgreSQL or Redis is still starting.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import OperationalError, connections


def _database_ready() -> str | None:
    try:
        connection = connections["default"]
        connection.ensure_connection()
        connection.close()
    except OperationalError as error:
        return f"database: {error}".strip()
    return None


def _redis_ready() -> str | None:
    if not settings.REDIS_URL:
        return None
    import redis

    try:
        redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=2).ping()
    except redis.RedisError as error:
        return f"redis: {error}"
    return None


class Command(BaseCommand):
    help = "Wait until the database (and Redis, when configured) accept connections."

    def add_arguments(self, parser):
        parser.add_argument("--timeout", type=float, default=60, help="Seconds to wait at most.")

    def handle(self, *args, timeout: float, **options):
        deadline = time.monotonic() + timeout
        while True:
            problems = [p for p in (_database_ready(), _redis_ready()) if p]
            if not problems:
                self.stdout.write("Database and Redis are reachable.")
                return
            if time.monotonic() >= deadline:
                waited = f"Still unreachable after {timeout:.0f} s: "
                raise CommandError(waited + "; ".join(problems))
            self.stderr.write("Waiting: " + "; ".join(problems))
            time.sleep(1)
