"""The peer of the throughput benchmark: wagtail-lms 0.11.1 in a venv and a site of its own.

    .venv/bin/python benchmarks/peer/setup_peer.py [--db sqlite|postgres]

Creates `benchmarks/.peer-venv` (git-ignored) with wagtail-lms from PyPI, pinned to the Django
and Wagtail versions of the venv that runs this script (Capacitas'), gunicorn and psycopg;
then migrates the peer's database and builds the benchmark course in it (management command
`build_peer_course`). Safe to run again: the venv is rebuilt only when the pins change, and
the course is created only once. `benchmarks/throughput.py` calls the same functions.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from importlib import metadata
from pathlib import Path

HERE = Path(__file__).resolve().parent
BENCHMARKS = HERE.parent
VENV = BENCHMARKS / ".peer-venv"
DATA = BENCHMARKS / ".bench-data"
PEER_PACKAGE = "wagtail-lms==0.11.1"
PG_PEER_DATABASE = "peer_bench"


def requirements() -> list[str]:
    """The peer's pins: the same Django and Wagtail as Capacitas runs with."""
    return [
        PEER_PACKAGE,
        f"django=={metadata.version('django')}",
        f"wagtail=={metadata.version('wagtail')}",
        f"gunicorn=={gunicorn_version()}",
        "psycopg[binary]",
    ]


def gunicorn_version() -> str:
    """Capacitas' gunicorn (installed into its venv first if absent): both sides run the same."""
    try:
        return metadata.version("gunicorn")
    except metadata.PackageNotFoundError:
        subprocess.run(  # noqa: S603
            [sys.executable, "-m", "pip", "install", "--quiet", "gunicorn"], check=True
        )
        return metadata.version("gunicorn")


def python() -> Path:
    return VENV / "bin" / "python"


def ensure_venv() -> Path:
    pins = requirements()
    marker = VENV / ".bench-requirements"
    if python().exists() and marker.exists() and marker.read_text().split("\n") == pins:
        return python()
    print(f"Peer venv: installing {' '.join(pins)} into {VENV}", flush=True)
    subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)  # noqa: S603
    subprocess.run(  # noqa: S603
        [str(python()), "-m", "pip", "install", "--quiet", *pins], check=True
    )
    marker.write_text("\n".join(pins))
    return python()


def environment(db: str, database: dict | None = None) -> dict[str, str]:
    """The peer's environment for `db`; `database` mirrors Capacitas' connection settings."""
    database = database or {}
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "peersite.settings",
        "PYTHONPATH": str(HERE),
        "PEER_STATIC_ROOT": str(DATA / "peer-static"),
        "PEER_MEDIA_ROOT": str(DATA / "peer-media"),
        "PEER_CONN_MAX_AGE": str(database.get("CONN_MAX_AGE", 0) or 0),
        "PEER_CONN_HEALTH_CHECKS": "1" if database.get("CONN_HEALTH_CHECKS") else "",
    }
    if database.get("OPTIONS"):
        env["PEER_DB_OPTIONS"] = json.dumps(database["OPTIONS"])
    if db == "postgres":
        env.update({"PEER_DB_ENGINE": "postgres", "PEER_DB_NAME": PG_PEER_DATABASE})
    else:
        env.update({"PEER_DB_ENGINE": "sqlite", "PEER_DB_NAME": str(DATA / "peer.sqlite3")})
    return env


def build_site(db: str) -> dict:
    """Migrate the peer's database and build the course; returns the URLs to measure."""
    DATA.mkdir(exist_ok=True)
    env = environment(db)
    manage = [str(python()), str(HERE / "manage.py")]
    subprocess.run([*manage, "migrate", "--noinput", "-v0"], check=True, env=env, cwd=HERE)  # noqa: S603
    result = subprocess.run(  # noqa: S603
        [*manage, "build_peer_course"],
        check=True,
        env=env,
        cwd=HERE,
        capture_output=True,
        text=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    args = parser.parse_args()
    ensure_venv()
    print(json.dumps(build_site(args.db), indent=2))


if __name__ == "__main__":
    main()
