"""HR export throughput on an existing database (one filled by `generate_load_data`).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/NAME \\
        .venv/bin/python benchmarks/hr_exports.py --officer hr@bench10k.load.example

Prints rows per second of the streaming CSV (every row in the officer's scope, best of three
runs), of the XLSX writer over the first 10,000 rows, and of the compliance matrix's CSV.
`benchmarks/hr.py` builds its own databases; this one measures a database you already have,
so `make bench` (which passes no arguments) reports it as skipped.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--officer", help="e-mail of an HR officer")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    if not args.officer or not os.environ.get("DATABASE_URL"):
        print("Skipped: needs DATABASE_URL and --officer (an existing database); hr.py measures")
        print("exports on databases of its own.")
        raise SystemExit(77)  # run.py's "cannot run here"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.dev")
    os.environ.setdefault("TASK_BACKEND", "dummy")
    import django

    django.setup()
    from django.db import connection
    from django.utils import timezone

    from learners.hr.exports import csv_chunks, write_xlsx
    from learners.hr.matrix import MatrixFilters, matrix_csv_chunks
    from learners.hr.selectors import HRFilters, hr_rows_filtered
    from learners.models import User

    officer = User.objects.get(email=args.officer)
    today = timezone.localdate()
    rows = hr_rows_filtered(officer, HRFilters(), today=today)
    best = 0.0
    lines = 0
    for _run in range(args.runs):
        started = time.perf_counter()
        lines = sum(chunk.count("\n") for chunk in csv_chunks(rows)) - 1
        best = max(best, lines / (time.perf_counter() - started))
    print(f"{connection.vendor}: CSV {lines:,} rows, {best:,.0f} rows/s (best of {args.runs})")
    sample = rows[:10_000]
    with tempfile.TemporaryFile() as handle:
        started = time.perf_counter()
        write_xlsx(sample, handle)
        elapsed = time.perf_counter() - started
        print(f"XLSX {min(10_000, lines):,} rows, {min(10_000, lines) / elapsed:,.0f} rows/s")
    started = time.perf_counter()
    chunks = matrix_csv_chunks(officer, MatrixFilters(), today=today)
    people = sum(chunk.count("\n") for chunk in chunks) - 1
    print(f"matrix CSV {people:,} people, {people / (time.perf_counter() - started):,.0f} people/s")


if __name__ == "__main__":
    main()
