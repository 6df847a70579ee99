"""HR benchmarks: how the dashboard's cost grows with the organisation, and the memory of exports.

    .venv/bin/python benchmarks/hr.py            # builds a throw-away SQLite database
    BENCH_DATABASE_URL=postgres://... .venv/bin/python benchmarks/hr.py   # an empty database

Prints the dashboard's median time (first table page included) for an officer over 1,000 and
over 10,000 learners (10 enrolments each) and their ratio, then the peak Python memory
(tracemalloc) of streaming a CSV and writing an XLSX of 100,000 rows against 1,000 rows.
"""

from __future__ import annotations

import os
import shutil
import statistics
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def setup() -> Path | None:
    """Settings and database; returns the throw-away directory to delete afterwards, if any."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.dev")
    os.environ["EMAIL_BACKEND"] = "django.core.mail.backends.locmem.EmailBackend"
    os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost")
    url = os.environ.get("BENCH_DATABASE_URL")
    scratch = None
    if not url:
        scratch = Path(tempfile.mkdtemp(prefix="capacitas-bench-hr-"))
        url = f"sqlite:///{scratch / 'bench.sqlite3'}"
    os.environ["DATABASE_URL"] = url
    import django

    django.setup()
    return scratch


def dashboard_median(officer, runs: int = 7) -> float:
    from django.test import Client

    client = Client()
    client.force_login(officer)
    client.get("/hr/")  # warm-up
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        response = client.get("/hr/")
        times.append(time.perf_counter() - started)
        assert response.status_code == 200
    return statistics.median(times)


def peak_memory(produce) -> tuple[float, int]:
    """(peak MiB while producing, rows produced)"""
    tracemalloc.start()
    tracemalloc.reset_peak()
    rows = produce()
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 2**20, rows


def main() -> None:
    scratch = setup()
    try:
        run()
    finally:
        if scratch is not None:
            shutil.rmtree(scratch, ignore_errors=True)


def run() -> None:
    from io import StringIO

    from django.core.management import call_command
    from django.utils import timezone

    from learners.hr.selectors import HRFilters, hr_rows_filtered
    from learners.hr.views import csv_stream, xlsx_file
    from learners.models import Enrolment, User

    call_command("migrate", verbosity=0)
    officers = {}
    for learners, prefix in ((1_000, "Bench1k"), (10_000, "Bench10k")):
        email = f"hr@{prefix.lower()}.load.example"
        if not User.objects.filter(email=email).exists():
            started = time.perf_counter()
            call_command("generate_load_data", learners=learners, prefix=prefix, stdout=StringIO())
            print(
                f"generate_load_data --learners {learners}: {time.perf_counter() - started:.0f} s"
            )
        officers[learners] = User.objects.get(email=email)

    small = dashboard_median(officers[1_000])
    large = dashboard_median(officers[10_000])
    print(f"HR dashboard median, 1,000 learners (~10,000 enrolments):   {small * 1000:7.0f} ms")
    print(f"HR dashboard median, 10,000 learners (~100,000 enrolments): {large * 1000:7.0f} ms")
    print(f"ratio 10,000 / 1,000: {large / small:.1f}x (10x more data)")

    today = timezone.localdate()
    first_course = (
        Enrolment.objects.filter(user=User.objects.filter(email__contains="bench1k").last())
        .order_by("course_id")
        .values_list("course_id", flat=True)
        .first()
    )
    thousand = hr_rows_filtered(officers[1_000], HRFilters(course=first_course), today=today)
    everything = hr_rows_filtered(officers[10_000], HRFilters(), today=today)

    def csv_of(rows):
        return lambda: sum(1 for _line in csv_stream(rows)) - 2  # minus BOM and header

    def xlsx_of(rows):
        def produce():
            handle = xlsx_file(rows)
            handle.close()
            return rows.count()

        return produce

    for label, make in (("CSV ", csv_of), ("XLSX", xlsx_of)):
        small_peak, small_rows = peak_memory(make(thousand))
        large_peak, large_rows = peak_memory(make(everything))
        print(
            f"{label} export peak memory: {small_rows:,} rows {small_peak:6.1f} MiB · "
            f"{large_rows:,} rows {large_peak:6.1f} MiB "
            f"(ratio {large_peak / small_peak:.1f}x for {large_rows / small_rows:.0f}x rows)"
        )


if __name__ == "__main__":
    main()
