"""Run every benchmark script in this directory (except this one) in turn; `make bench`.

Each script sets up its own data and prints its own figures; a failing script is reported
and the others still run. The exit status is non-zero when any script failed. A script that
exits with 77 could not run on this machine (a missing tool, e.g. wrk): it is reported as
skipped, not failed. `benchmarks/run.py pages throughput` runs only the scripts named.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


SKIPPED = 77  # the exit status of a script that cannot run here (automake's convention)


def scripts(names: list[str]) -> list[Path]:
    found = sorted(
        path
        for path in HERE.glob("*.py")
        if path.name != Path(__file__).name and not path.name.startswith("_")
    )
    if names:
        found = [path for path in found if path.stem in names]
        missing = set(names) - {path.stem for path in found}
        if missing:
            raise SystemExit(f"No benchmark named {', '.join(sorted(missing))}")
    return found


def main(names: list[str]) -> int:
    failed = []
    for script in scripts(names):
        print(f"\n=== {script.name} ===", flush=True)
        started = time.perf_counter()
        result = subprocess.run([sys.executable, str(script)], cwd=HERE.parent, check=False)  # noqa: S603
        elapsed = time.perf_counter() - started
        if result.returncode == SKIPPED:
            print(f"--- {script.name}: skipped in {elapsed:.0f} s", flush=True)
            continue
        status = "ok" if result.returncode == 0 else f"FAILED (exit {result.returncode})"
        print(f"--- {script.name}: {status} in {elapsed:.0f} s", flush=True)
        if result.returncode:
            failed.append(script.name)
    if failed:
        print(f"\nFailed: {', '.join(failed)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
