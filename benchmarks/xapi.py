"""xAPI forwarding: 10,000 stored activity events sent to a real Ralph LRS on loopback.

Run: .venv/bin/python benchmarks/xapi.py   (BENCH_XAPI_EVENTS=2000 for a quicker run,
BENCH_XAPI_BATCHES=100,500 for the batch sizes). Needs Ralph in .ralph/ (`make ralph`); without
it the script reports itself skipped (exit 77). Uses an in-memory SQLite database and a Ralph
started for the run on a free port with a temporary folder; nothing is left behind.

Each batch size forwards every event once, under a site address of its own (so statement ids
differ between runs), and then the statements are read back from Ralph and counted.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
import uuid
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.test")
os.environ["DATABASE_URL"] = "sqlite://:memory:"

import django  # noqa: E402

django.setup()

from tests.learners.xapi.ralph import MISSING, ralph_available, ralph_start  # noqa: E402

SKIPPED = 77
EVENTS = int(os.environ.get("BENCH_XAPI_EVENTS", "10000"))
BATCHES = [int(b) for b in os.environ.get("BENCH_XAPI_BATCHES", "100,500").split(",")]


def seed(count: int):
    from django.utils import timezone

    from learners.models import ActivityEvent, Verb
    from tests.factories import UserFactory, make_course

    tree = make_course(modules=2, lessons_per_module=5)
    learners = [UserFactory() for _ in range(50)]
    pages = [("lesson", lesson) for lesson in tree.lessons]
    verbs = [Verb.EXPERIENCED, Verb.COMPLETED, Verb.ATTEMPTED, Verb.PASSED]
    start = timezone.now() - timedelta(days=3)
    rows = []
    for i in range(count):
        kind, page = pages[i % len(pages)]
        verb = verbs[i % len(verbs)]
        rows.append(
            ActivityEvent(
                actor=learners[i % len(learners)],
                verb=verb,
                object_type=kind,
                object_id=page.pk,
                object_title=page.title,
                course_id=tree.course.pk,
                course_title=tree.course.title,
                result_score=80 if verb == Verb.PASSED else None,
                result_success=True if verb == Verb.PASSED else None,
                result_duration=timedelta(minutes=7) if verb == Verb.PASSED else None,
            )
        )
    ActivityEvent.objects.bulk_create(rows, batch_size=1000)
    return start


def main() -> int:
    if not ralph_available():
        print(MISSING)
        return SKIPPED
    from django.db import connection
    from django.test.utils import override_settings

    from learners.models import LearningRecordStore, OutboxEntry, OutboxState
    from learners.xapi.services import outbox_drain, outbox_replay

    connection.creation.create_test_db(verbosity=0)
    print("starting Ralph…", flush=True)
    started = time.perf_counter()
    lrs_server = ralph_start()
    print(f"Ralph up in {time.perf_counter() - started:.1f} s at {lrs_server.endpoint}")
    try:
        since = seed(EVENTS)
        os.environ["XAPI_BENCH_SECRET"] = lrs_server.password
        for size in BATCHES:
            site = f"https://bench-{uuid.uuid4().hex[:8]}.example.org"
            with override_settings(SITE_URL=site, XAPI_BATCH_SIZE=size):
                OutboxEntry.objects.all().delete()
                LearningRecordStore.objects.all().delete()
                LearningRecordStore.objects.create(
                    name="ralph",
                    endpoint=lrs_server.endpoint,
                    key=lrs_server.user,
                    secret_env="XAPI_BENCH_SECRET",
                )
                t0 = time.perf_counter()
                queued = outbox_replay(since=since.date())
                queue_s = time.perf_counter() - t0
                t0 = time.perf_counter()
                report = outbox_drain(batch_size=size, max_batches=EVENTS)
                elapsed = time.perf_counter() - t0
                left = OutboxEntry.objects.exclude(state=OutboxState.SENT).count()
                held = sum(1 for s in lrs_server.statements() if s["id"])
                per_batch = sorted(report.batch_seconds)
                p95 = per_batch[int(len(per_batch) * 0.95) - 1] if per_batch else 0
                print(
                    f"batch size {size:>4}: {report.sent} statements in {elapsed:6.1f} s = "
                    f"{report.sent / elapsed:7.0f} statements/s; {report.batches} batches, "
                    f"POST median {statistics.median(per_batch) * 1000:.0f} ms, "
                    f"p95 {p95 * 1000:.0f} ms; queued by xapi_replay in {queue_s:.1f} s; "
                    f"not sent: {left}; Ralph now holds {held}"
                )
                if report.sent != queued or left:
                    print("ERROR: not every statement was sent")
                    return 1
    finally:
        lrs_server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
