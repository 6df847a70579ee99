"""HR at scale: the dashboard's cost as the organisation grows, its query plans, and exports.

    .venv/bin/python benchmarks/hr.py           # 1,000 and 10,000 learners, SQLite and PostgreSQL
    .venv/bin/python benchmarks/hr.py --big     # and 100,000 learners (a million enrolments)
    .venv/bin/python benchmarks/hr.py --keep    # keep the PostgreSQL databases for the next run
    .venv/bin/python benchmarks/hr.py --no-sqlite --no-exports --keep --big   # dashboard only

Each size gets a database of its own (so a small organisation is not measured inside a big
table): a throw-away SQLite file, and a PostgreSQL database `capacitas_hr_<size>` on
127.0.0.1:5432 (user postgres; `BENCH_PG` overrides the server URL, `BENCH_PG=` skips it),
dropped afterwards unless --keep. The 100,000-learner database is `capacitas_hrbench` and is
never dropped: generating a million enrolments takes a long while, so it is made once and
reused. Data comes from `generate_load_data` (10 courses, every learner enrolled in each),
whose run time is printed.

Printed: the dashboard's median time (figures, charts and the first table page, through
Django's full request handler) for the top HR officer at each size and the growth ratios, the
machine's load average while it ran (the figures are only comparable on a quiet machine);
`EXPLAIN (ANALYZE, BUFFERS)` of each dashboard query at the largest PostgreSQL size, with the
indexes each plan uses; and export throughput (unless --no-exports): CSV rows per second
streamed (every row in scope) and XLSX rows per second.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PG_SERVER = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")
SIZES = {1_000: "1k", 10_000: "10k", 100_000: "100k"}
RUNS = 7
# Only the dashboard's own reads are explained, not the session or permission look-ups.
EXPLAINED_TABLES = (
    "learners_enrolment",
    "learners_certificate",
    "learners_user",
    "learners_hrtally",
    "learners_hrdaytally",
    "learners_assignedlearner",
)
# The biggest size lives in a database of its own that is kept between runs.
KEPT_DATABASES = {100_000: "capacitas_hrbench"}


def pg_name(size: int) -> str:
    return KEPT_DATABASES.get(size, f"capacitas_hr_{SIZES[size]}")


# --- Worker: one database, one size ---------------------------------------------------------
def worker(url: str, learners: int, explain: bool, exports: bool = True) -> dict:
    os.environ["DJANGO_SETTINGS_MODULE"] = "cms.settings.dev"
    os.environ["DATABASE_URL"] = url
    os.environ["EMAIL_BACKEND"] = "django.core.mail.backends.locmem.EmailBackend"
    os.environ["ALLOWED_HOSTS"] = "testserver,localhost"
    os.environ["TASK_BACKEND"] = "dummy"
    import django

    django.setup()
    from io import StringIO

    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from learners.hr.exports import csv_chunks, write_xlsx
    from learners.hr.selectors import HRFilters, hr_rows_filtered
    from learners.models import User

    result: dict = {"learners": learners, "vendor": connection.vendor}
    result["load_before"] = os.getloadavg()[0]
    call_command("migrate", verbosity=0)
    email = f"hr@bench{SIZES[learners]}.load.example"
    if not User.objects.filter(email=email).exists():
        started = time.perf_counter()
        call_command(
            "generate_load_data",
            learners=learners,
            prefix=f"Bench{SIZES[learners]}",
            stdout=StringIO(),
        )
        result["generate_s"] = time.perf_counter() - started
    officer = User.objects.get(email=email)
    client = Client()
    client.force_login(officer)
    client.get("/en/hr/")  # warm-up: caches, prepared plans, the operating system's file cache
    times = []
    for _ in range(RUNS):
        started = time.perf_counter()
        response = client.get("/en/hr/")
        times.append(time.perf_counter() - started)
        assert response.status_code == 200
    result["dashboard_ms"] = statistics.median(times) * 1000
    result["dashboard_min_ms"] = min(times) * 1000
    result["load_after"] = os.getloadavg()[0]
    with CaptureQueriesContext(connection) as ctx:
        client.get("/en/hr/")
    result["queries"] = len(ctx.captured_queries)
    if explain and connection.vendor == "postgresql":
        plans = []
        with connection.cursor() as cursor:
            cursor.execute("SET jit = off")  # as the dashboard runs them (hr.selectors)
            for query in ctx.captured_queries:
                sql = query["sql"]
                head = sql.split(" WHERE ")[0]
                if '"password"' in head or not any(f'"{t}"' in head for t in EXPLAINED_TABLES):
                    continue
                cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
                plans.append((sql, [row[0] for row in cursor.fetchall()]))
        result["plans"] = plans
    if not exports:
        result.update(csv_rows=0, csv_rows_per_s=0, xlsx_rows_per_s=0)
        return result
    # Export throughput: every row in scope through the streaming CSV writer, and the first
    # 10,000 through the XLSX writer (what the background task does).
    today = timezone.localdate()
    rows = hr_rows_filtered(officer, HRFilters(), today=today)
    started = time.perf_counter()
    lines = sum(chunk.count("\n") for chunk in csv_chunks(rows)) - 1  # minus the header
    elapsed = time.perf_counter() - started
    result["csv_rows"] = lines
    result["csv_rows_per_s"] = lines / elapsed
    sample = rows[:10_000]
    with tempfile.TemporaryFile() as handle:
        started = time.perf_counter()
        write_xlsx(sample, handle)
        result["xlsx_rows_per_s"] = min(10_000, lines) / (time.perf_counter() - started)
    return result


# --- Orchestration ----------------------------------------------------------------------------
def _pg_admin(sql: str) -> bool:
    import psycopg

    try:
        with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True, connect_timeout=3) as c:
            c.execute(sql)
    except psycopg.Error as error:
        print(f"  PostgreSQL: {str(error).strip().splitlines()[0]}")
        return False
    return True


def _pg_exists(name: str) -> bool:
    import psycopg

    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True, connect_timeout=3) as c:
        return bool(c.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone())


def run_size(url: str, learners: int, explain: bool, exports: bool = True) -> dict | None:
    args = [sys.executable, __file__, "--worker", url, str(learners)]
    if explain:
        args.append("--explain")
    if not exports:
        args.append("--no-exports")
    done = subprocess.run(args, capture_output=True, text=True, check=False)  # noqa: S603 (our own script)
    if done.returncode != 0:
        print(done.stderr[-2000:])
        return None
    return json.loads(done.stdout.strip().splitlines()[-1])


def report(label: str, results: list[dict]) -> None:
    print(f"\n{label}")
    print(
        f"  {'learners':>9} {'enrolments':>11} {'dashboard':>10} {'(best)':>9} {'queries':>8} "
        f"{'generate':>9} {'load avg':>13}"
    )
    for r in results:
        gen = f"{r['generate_s']:.0f} s" if "generate_s" in r else "kept"
        load = f"{r.get('load_before', 0):.1f}-{r.get('load_after', 0):.1f}"
        print(
            f"  {r['learners']:>9,} {r['learners'] * 10:>11,} {r['dashboard_ms']:>7.0f} ms "
            f"{r.get('dashboard_min_ms', 0):>6.0f} ms {r['queries']:>8} {gen:>9} {load:>13}"
        )
    for small, large in zip(results, results[1:], strict=False):
        print(
            f"  growth {large['learners']:,} / {small['learners']:,}: "
            f"{large['dashboard_ms'] / small['dashboard_ms']:.1f}x for 10x the data"
        )
    for r in results:
        if not r["csv_rows"]:
            continue
        print(
            f"  exports at {r['learners']:,} learners: CSV {r['csv_rows_per_s']:,.0f} rows/s "
            f"({r['csv_rows']:,} rows streamed), XLSX {r['xlsx_rows_per_s']:,.0f} rows/s"
        )
    for r in results:
        for sql, plan in r.get("plans", []):
            print(f"\n  EXPLAIN (ANALYZE, BUFFERS) at {r['learners']:,} learners: {sql[:160]}…")
            for line in plan:
                print(f"    {line}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--big", action="store_true", help="also 100,000 learners (long)")
    parser.add_argument("--keep", action="store_true", help="keep the PostgreSQL databases")
    parser.add_argument("--no-sqlite", action="store_true")
    parser.add_argument("--no-exports", action="store_true", help="measure the dashboard only")
    parser.add_argument("--worker", nargs=2, metavar=("URL", "LEARNERS"), help=argparse.SUPPRESS)
    parser.add_argument("--explain", action="store_true", help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.worker:
        url, learners = options.worker
        result = worker(url, int(learners), options.explain, exports=not options.no_exports)
        print(json.dumps(result, default=str))
        return
    sizes = [1_000, 10_000] + ([100_000] if options.big else [])
    if not options.no_sqlite:
        scratch = Path(tempfile.mkdtemp(prefix="capacitas-bench-hr-"))
        try:
            results = [
                r
                for size in sizes[:2]  # 100,000 learners on SQLite is not a deployment we offer
                if (
                    r := run_size(
                        f"sqlite:///{scratch / f'{size}.sqlite3'}",
                        size,
                        False,
                        exports=not options.no_exports,
                    )
                )
            ]
        finally:
            shutil.rmtree(scratch, ignore_errors=True)
        report("SQLite (the embedded default)", results)
    if PG_SERVER:
        results = []
        for size in sizes:
            name = pg_name(size)
            if not _pg_exists(name) and not _pg_admin(f'CREATE DATABASE "{name}"'):
                break
            result = run_size(
                f"{PG_SERVER}/{name}",
                size,
                explain=size == sizes[-1],
                exports=not options.no_exports,
            )
            if result:
                results.append(result)
        if not options.keep:
            for size in sizes:
                if size not in KEPT_DATABASES:
                    _pg_admin(f'DROP DATABASE IF EXISTS "{pg_name(size)}"')
        report("PostgreSQL", results)


if __name__ == "__main__":
    main()
