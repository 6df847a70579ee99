"""Throughput side by side with the same-stack peer, wagtail-lms 0.11.1, on gunicorn and wrk.

    .venv/bin/python benchmarks/throughput.py [--quick] [--duration S] [--rounds N]
        [--db sqlite|postgres|both] [--workers N]

Both sites run the same Django and Wagtail, the same 20-lesson course of ~800-word lessons
(`peer/course_content.py`), a learner enrolled, DEBUG off, under the same gunicorn settings
(`peer/gunicorn_bench.conf.py`: 2 sync workers unless --workers says otherwise) and the same
database connection settings (the peer is given Capacitas' CONN_MAX_AGE and database
OPTIONS). For each page, wrk (-t2 -c16) measures both sides in alternated pairs (Capacitas
then peer, then peer then Capacitas, ...) after a warm-up of each, so that drift in the
machine's load falls on both. Prints, per page: requests per second each side, their ratio,
the responses that were not 2xx (counted by a wrk Lua script, so redirects count too, and
socket errors with them), the CPU time the gunicorn processes spent per request (from
/proc: a cost that other processes on a busy machine disturb far less than req/s), and the
queries per page each side (Django's test client in each site's own venv, the second of two
requests).

Capacitas runs with production settings on its own database (`benchmarks/.bench-data/
capacitas.sqlite3`, or PostgreSQL `capacitas_bench`), never the developer's db.sqlite3; the
peer lives in `benchmarks/.peer-venv` (`peer/setup_peer.py`). PostgreSQL is measured when
`pg_isready -h 127.0.0.1` succeeds (user postgres, trust auth; databases `capacitas_bench` and
`peer_bench`, created when absent). Ports 8400-8419 only. Every server started here is stopped
before the script ends, also on Ctrl+C. Exit status: 0 when every response was 2xx, 1 when
any was not (the figures are then not comparable), 77 when wrk is not installed (skipped).
Under `make bench` (no arguments), BENCH_THROUGHPUT="--quick --db sqlite" passes options.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from http.client import HTTPConnection
from importlib import metadata
from pathlib import Path
from urllib.parse import urlencode

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
PEER = HERE / "peer"
sys.path.insert(0, str(PEER))

import course_content  # noqa: E402
import setup_peer  # noqa: E402

DATA = setup_peer.DATA
PORTS = range(8400, 8420)
SKIPPED = 77
GUNICORN_CONF = PEER / "gunicorn_bench.conf.py"
PG_CAPACITAS_DATABASE = "capacitas_bench"
THREADS, CONNECTIONS = 2, 16
# A run that completes fewer requests than this says more about the machine's load than the site.
MIN_REQUESTS = 50
# (label, which URL, as the learner?)
PAGES = [
    ("course page, anonymous", "course", False),
    ("course page, enrolled learner", "course", True),
    ("lesson page, learner", "lesson", True),
]
WRK_SCRIPT = """
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) non2xx = 0 end
function response(status, headers, body)
  if status < 200 or status > 299 then non2xx = non2xx + 1 end
end
function done(summary, latency, requests)
  local bad = 0
  for _, thread in ipairs(threads) do bad = bad + thread:get("non2xx") end
  local e = summary.errors
  io.write(string.format(
    'BENCH {"requests": %d, "duration_us": %d, "non2xx": %d, "socket_errors": %d, '
    .. '"p50_us": %d, "p99_us": %d}\\n',
    summary.requests, summary.duration, bad, e.connect + e.read + e.write + e.timeout,
    latency:percentile(50), latency:percentile(99)))
end
"""


@dataclass
class Site:
    name: str
    python: Path
    app: str
    cwd: Path
    env: dict[str, str]
    login_field: str
    login: str
    # Capacitas's addresses carry the language (/en/…); the peer's do not.
    login_path: str = "/accounts/login/"
    urls: dict = field(default_factory=dict)
    queries: dict = field(default_factory=dict)
    port: int = 0
    process: subprocess.Popen | None = None
    log: Path | None = None
    cookie: str = ""

    def start(self, port: int, workers: int) -> None:
        self.port = port
        self.log = DATA / f"gunicorn-{self.name}.log"
        command = [str(self.python), "-m", "gunicorn", "-c", str(GUNICORN_CONF)]
        command += ["-w", str(workers), "-b", f"127.0.0.1:{port}", self.app]
        with self.log.open("w") as log:
            # A session of its own, so that stop() can end the master and its workers together.
            self.process = subprocess.Popen(  # noqa: S603
                command,
                cwd=self.cwd,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def wait_ready(self, timeout: float = 120) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.name}: gunicorn exited; see {self.log}")
            try:
                status, _, _ = request(self.port, "GET", self.urls["course"])
            except OSError:
                time.sleep(0.3)
                continue
            if status == 200:
                return
            raise RuntimeError(f"{self.name}: course page answered {status}; see {self.log}")
        raise RuntimeError(f"{self.name}: not ready after {timeout:.0f} s; see {self.log}")

    def stop(self) -> None:
        if self.process is None:
            return
        master = self.process.pid
        workers = [pid for pid, fields in processes() if int(fields[1]) == master]
        if self.process.poll() is None:
            os.killpg(master, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(master, signal.SIGKILL)
                self.process.wait(timeout=10)
        # A worker that outlived its master is still in the process group started above.
        for pid, fields in processes():
            if pid in workers and int(fields[2]) == master:
                os.kill(pid, signal.SIGKILL)
        self.process = None

    def url(self, which: str) -> str:
        return f"http://127.0.0.1:{self.port}{self.urls[which]}"


CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def processes():
    """(pid, the fields of /proc/<pid>/stat after the command name) of every process."""
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            yield int(stat.parent.name), stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # a process that ended meanwhile


def cpu_seconds(master: int) -> float:
    """User + system CPU time of a gunicorn master and its workers (Linux /proc)."""
    ticks = sum(
        int(fields[11]) + int(fields[12])
        for pid, fields in processes()
        if pid == master or int(fields[1]) == master
    )
    return ticks / CLOCK_TICKS


def request(port: int, method: str, path: str, body: str | None = None, headers=None):
    connection = HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        content = response.read().decode("utf-8", "replace")
        cookies = {}
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            cookies[name.strip()] = rest.split(";", 1)[0]
        return response.status, content, cookies
    finally:
        connection.close()


def log_in(site: Site) -> None:
    """Log the learner in through the site's own login form; keep the session cookie."""
    path = site.login_path
    status, page, jar = request(site.port, "GET", path)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    if status != 200 or token is None:
        raise RuntimeError(f"{site.name}: no login form at {path} ({status})")
    form = {
        "csrfmiddlewaretoken": token.group(1),
        site.login_field: site.login,
        "password": course_content.LEARNER_PASSWORD,
    }
    headers = {
        "Content-Type": "application/x-www-form-urlencoded",
        "Cookie": "; ".join(f"{k}={v}" for k, v in jar.items()),
        "Referer": f"http://127.0.0.1:{site.port}{path}",
    }
    connection = HTTPConnection("127.0.0.1", site.port, timeout=30)
    try:
        connection.request("POST", path, body=urlencode(form), headers=headers)
        response = connection.getresponse()
        response.read()
        status, location = response.status, response.getheader("Location") or "/"
        cookies = _cookies_of(response)
    finally:
        connection.close()
    jar.update(cookies)
    if status != 302 or "sessionid" not in cookies:
        raise RuntimeError(f"{site.name}: the learner's login failed ({status})")
    # Follow the redirect as a browser does, to a rendered page: a message queued at login
    # ("Successfully signed in", allauth) is shown there and its cookie cleared. Without
    # this, every measured request would carry the messages cookie and show the message.
    for _ in range(5):
        connection = HTTPConnection("127.0.0.1", site.port, timeout=30)
        try:
            cookie = "; ".join(f"{k}={v}" for k, v in jar.items())
            connection.request("GET", location, headers={"Cookie": cookie})
            response = connection.getresponse()
            response.read()
            jar.update(_cookies_of(response))
            jar = {name: value for name, value in jar.items() if value not in ("", '""')}
            if response.status not in (301, 302) or not response.getheader("Location"):
                break
            location = response.getheader("Location")
        finally:
            connection.close()
    site.cookie = "; ".join(f"{k}={v}" for k, v in jar.items())


def _cookies_of(response) -> dict[str, str]:
    cookies = {}
    for header in response.headers.get_all("Set-Cookie") or []:
        name, _, rest = header.partition("=")
        cookies[name.strip()] = rest.split(";", 1)[0]
    return cookies


def check_pages(site: Site) -> None:
    """Each measured page answers 200 with its own content before wrk is let loose on it."""
    titles = {"course": site.urls["course_title"], "lesson": site.urls["lesson_title"]}
    for label, which, as_learner in PAGES:
        headers = {"Cookie": site.cookie} if as_learner else {}
        status, content, _ = request(site.port, "GET", site.urls[which], headers=headers)
        if status != 200 or titles[which] not in content:
            raise RuntimeError(f"{site.name}: {label} answered {status} without its title")


def run_wrk(site: Site, which: str, as_learner: bool, duration: float) -> dict:
    command = ["wrk", f"-t{THREADS}", f"-c{CONNECTIONS}", f"-d{duration:g}s", "--timeout", "10s"]
    command += ["-s", str(DATA / "count_non2xx.lua")]
    if as_learner:
        command += ["-H", f"Cookie: {site.cookie}"]
    command.append(site.url(which))
    cpu_before = cpu_seconds(site.process.pid)
    result = subprocess.run(  # noqa: S603
        command, capture_output=True, text=True, timeout=duration + 60, check=True
    )
    line = next(x for x in result.stdout.splitlines() if x.startswith("BENCH "))
    run = json.loads(line.removeprefix("BENCH "))
    run["cpu_s"] = cpu_seconds(site.process.pid) - cpu_before
    return run


def free_ports(count: int) -> list[int]:
    ports = []
    for port in PORTS:
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
        ports.append(port)
        if len(ports) == count:
            return ports
    raise RuntimeError("fewer than two free ports in 8400-8419")


def capacitas_env(db: str) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        # Only what is set below: no Redis, Sentry or database of the developer's shell.
        if key not in {"DATABASE_URL", "REDIS_URL", "SENTRY_DSN", "DJANGO_SETTINGS_MODULE"}
    }
    if db == "postgres":
        database_url = f"postgres://postgres@127.0.0.1:5432/{PG_CAPACITAS_DATABASE}"
    else:
        database_url = f"sqlite:///{DATA / 'capacitas.sqlite3'}"
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "cms.settings.production",
            "DATABASE_URL": database_url,
            "SECRET_KEY": "throughput-benchmark-only",
            "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
            # Plain HTTP on loopback, as the peer is served.
            "SECURE_SSL_REDIRECT": "false",
            "STATIC_ROOT": str(DATA / "capacitas-static"),
            "MEDIA_ROOT": str(DATA / "capacitas-media"),
            "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
            "LOG_LEVEL": "WARNING",
            "PYTHONPATH": str(ROOT),
            # The learner-page cache (learners/progress/page_cache.py) is on by default only
            # with Redis (a cache every worker shares). Both sides run on a local-memory cache
            # here, so it is switched on explicitly: the benchmark only reads one learner's
            # pages, which no worker changes behind another's back.
            # BENCH_LEARNER_PAGE_CACHE=false measures the pages rendered on every request.
            "LEARNER_PAGE_CACHE": os.environ.get("BENCH_LEARNER_PAGE_CACHE", "true"),
        }
    )
    return env


def ensure_postgres_database(name: str) -> None:
    created = subprocess.run(  # noqa: S603
        ["createdb", "-h", "127.0.0.1", "-U", "postgres", name],  # noqa: S607
        capture_output=True,
        text=True,
        check=False,
    )
    if created.returncode and "already exists" not in created.stderr:
        raise RuntimeError(f"createdb {name}: {created.stderr.strip()}")


def probe(site: Site) -> dict:
    """Queries per page in the site's own venv (`peer/probe.py`)."""
    urls = [site.urls["course"], site.urls["course"], site.urls["lesson"]]
    result = subprocess.run(  # noqa: S603
        [str(site.python), str(PEER / "probe.py"), site.login, *urls],
        cwd=site.cwd,
        env=site.env,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode:
        raise RuntimeError(f"{site.name}: probe failed\n{result.stderr[-2000:]}")
    report = json.loads(result.stdout.strip().splitlines()[-1])
    if report["debug"]:
        raise RuntimeError(f"{site.name}: DEBUG is on")
    for (label, _, _), page in zip(PAGES, report["pages"], strict=True):
        if page["status"] != 200:
            raise RuntimeError(f"{site.name}: {label} answered {page['status']} in-process")
        site.queries[label] = page["queries"]
    return report["database"]


def build_sites(db: str) -> tuple[Site, Site]:
    if db == "postgres":
        ensure_postgres_database(PG_CAPACITAS_DATABASE)
        ensure_postgres_database(setup_peer.PG_PEER_DATABASE)
    env = capacitas_env(db)
    python = Path(sys.executable)
    built = subprocess.run(  # noqa: S603
        [str(python), str(PEER / "capacitas_course.py")],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if built.returncode:
        raise RuntimeError(f"Capacitas: building the course failed\n{built.stderr[-2000:]}")
    capacitas = Site(
        name="capacitas",
        python=python,
        app="cms.wsgi:application",
        cwd=ROOT,
        env=env,
        login_field="login",
        login_path="/en/accounts/login/",
        login=course_content.LEARNER_EMAIL,
        urls=json.loads(built.stdout.strip().splitlines()[-1]),
    )
    database = probe(capacitas)
    peer = Site(
        name="peer",
        python=setup_peer.python(),
        app="peersite.wsgi:application",
        cwd=PEER,
        env=setup_peer.environment(db, database),
        login_field="username",
        login=course_content.LEARNER_USERNAME,
        urls=setup_peer.build_site(db),
    )
    probe(peer)
    for site in (capacitas, peer):
        if site.urls["lessons"] != course_content.LESSONS:
            raise RuntimeError(f"{site.name}: {site.urls['lessons']} live lessons, not 20")
    return capacitas, peer


@dataclass
class Result:
    requests: int = 0
    seconds: float = 0.0
    non2xx: int = 0
    socket_errors: int = 0
    cpu_s: float = 0.0
    rates: list[float] = field(default_factory=list)

    fewest: int | None = None

    def add(self, run: dict) -> None:
        if self.fewest is None or run["requests"] < self.fewest:
            self.fewest = run["requests"]
        self.rates.append(run["requests"] / (run["duration_us"] / 1e6))
        self.requests += run["requests"]
        self.seconds += run["duration_us"] / 1e6
        self.non2xx += run["non2xx"]
        self.socket_errors += run["socket_errors"]
        self.cpu_s += run["cpu_s"]

    @property
    def rate(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    @property
    def cpu_ms(self) -> float:
        return 1000 * self.cpu_s / self.requests if self.requests else float("nan")


def measure(db: str, options: argparse.Namespace) -> list[dict]:
    capacitas, peer = build_sites(db)
    sites = (capacitas, peer)
    rows = []
    try:
        for site, port in zip(sites, free_ports(2), strict=True):
            site.start(port, options.workers)
        for site in sites:
            site.wait_ready()
            log_in(site)
            check_pages(site)
        for label, which, as_learner in PAGES:
            results = {site.name: Result() for site in sites}
            for site in sites:
                run_wrk(site, which, as_learner, options.warmup)
            for round_number in range(options.rounds):
                order = sites if round_number % 2 == 0 else sites[::-1]
                for site in order:
                    results[site.name].add(run_wrk(site, which, as_learner, options.duration))
            mine, theirs = results["capacitas"], results["peer"]
            # Each pair ran back to back: its ratio is the least disturbed by the load's drift.
            pairs = [c / p for c, p in zip(mine.rates, theirs.rates, strict=True) if p]
            row = {
                "db": db,
                "page": label,
                "capacitas_rps": mine.rate,
                "peer_rps": theirs.rate,
                "ratio": mine.rate / theirs.rate if theirs.rate else float("inf"),
                "pairs": f"{min(pairs):.2f}-{max(pairs):.2f}" if pairs else "-",
                "capacitas_non2xx": mine.non2xx + mine.socket_errors,
                "peer_non2xx": theirs.non2xx + theirs.socket_errors,
                "capacitas_cpu_ms": mine.cpu_ms,
                "peer_cpu_ms": theirs.cpu_ms,
                "few": min(mine.fewest or 0, theirs.fewest or 0) < MIN_REQUESTS,
                "capacitas_queries": capacitas.queries[label],
                "peer_queries": peer.queries[label],
            }
            rows.append(row)
            print_row(row, flush=True)
    finally:
        for site in sites:
            site.stop()
    return rows


HEADER = (
    f"{'db':<9}{'page':<31}{'Capacitas/s':>12}{'peer/s':>9}{'ratio':>8}{'pairs':>12}"
    f"{'non-2xx C/P':>13}{'CPU ms/req C/P':>17}{'CPU ratio':>10}{'queries C/P':>13}"
)


def print_row(row: dict, flush: bool = False) -> None:
    print(
        f"{row['db']:<9}{row['page']:<31}{row['capacitas_rps']:>12.1f}{row['peer_rps']:>9.1f}"
        f"{row['ratio']:>7.2f}×{row['pairs']:>12}"
        f"{row['capacitas_non2xx']:>7} / {row['peer_non2xx']:<3}"
        f"{row['capacitas_cpu_ms']:>8.1f} / {row['peer_cpu_ms']:<6.1f}"
        f"{row['peer_cpu_ms'] / row['capacitas_cpu_ms']:>8.2f}×"
        f"{row['capacitas_queries']:>6} / {row['peer_queries']:<3}"
        f"{'  (few requests)' if row['few'] else ''}",
        flush=flush,
    )


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=float, help="seconds per wrk run (default 15)")
    parser.add_argument("--rounds", type=int, help="alternated pairs per page (default 2)")
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--quick", action="store_true", help="3 s runs, one pair per page")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers each side")
    options = parser.parse_args(argv)
    options.duration = options.duration or (3 if options.quick else 15)
    options.rounds = options.rounds or (1 if options.quick else 2)
    options.warmup = 2 if options.quick else 3
    return options


def postgres_available() -> bool:
    if shutil.which("pg_isready") is None or shutil.which("createdb") is None:
        return False
    ready = subprocess.run(["pg_isready", "-q", "-h", "127.0.0.1"], check=False)  # noqa: S607
    return ready.returncode == 0


def collect_static() -> None:
    """Production settings serve hashed static names: the manifest must exist."""
    subprocess.run(  # noqa: S603
        [sys.executable, str(ROOT / "manage.py"), "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env=capacitas_env("sqlite"),
        check=True,
    )


def main(argv: list[str]) -> int:
    options = parse_args(argv)
    if shutil.which("wrk") is None:
        print("SKIPPED: wrk is not installed (Debian: apt-get install -y wrk).")
        return SKIPPED
    databases = ["sqlite", "postgres"] if options.db == "both" else [options.db]
    if "postgres" in databases and not postgres_available():
        if options.db == "postgres":
            print("PostgreSQL is not ready on 127.0.0.1 (pg_isready); nothing to measure.")
            return 1
        print("PostgreSQL: not ready on 127.0.0.1 (pg_isready), measuring SQLite only.")
        databases.remove("postgres")

    # A SIGTERM (from run.py's caller, a CI timeout) unwinds like Ctrl+C: servers are stopped.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    DATA.mkdir(exist_ok=True)
    (DATA / "count_non2xx.lua").write_text(WRK_SCRIPT)
    setup_peer.ensure_venv()
    collect_static()

    versions = ", ".join(
        f"{name} {metadata.version(name)}" for name in ("django", "wagtail", "gunicorn")
    )
    print(
        f"{versions}; peer {setup_peer.PEER_PACKAGE}. gunicorn -w {options.workers} sync, "
        f"DEBUG off. "
        f"wrk -t{THREADS} -c{CONNECTIONS} -d{options.duration:g}s, {options.rounds} "
        f"alternated pair(s) per page after a {options.warmup} s warm-up of each side. "
        f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f} at the start."
    )
    print(
        "Course: 20 lessons of ~800 words, learner enrolled; lesson page = lesson "
        f"{course_content.MEASURED_LESSON}. C = Capacitas, P = peer; ratio = C/P req/s "
        "over all runs; pairs = lowest and highest ratio of one back-to-back pair; CPU ms/req "
        "= gunicorn's CPU time per request, and CPU ratio = P/C of it (the throughput ratio "
        "that the servers' CPU cost alone predicts, little moved by other load)."
    )
    print(HEADER)
    print("-" * len(HEADER))
    rows = []
    for db in databases:
        rows += measure(db, options)
    print(f"Load average at the end: {os.getloadavg()[0]:.1f}.")
    if any(row["few"] for row in rows):
        print(
            f"(few requests): a run completed fewer than {MIN_REQUESTS} requests; the machine "
            "is too busy for that figure, run again with a longer --duration."
        )
    below = [f"{r['db']} {r['page']} ({r['ratio']:.2f}×)" for r in rows if r["ratio"] < 3]
    print("Target ≥ 3× the peer: " + ("met on every page." if not below else "not met on:"))
    for item in below:
        print(f"  - {item}")
    failed = [r for r in rows if r["capacitas_non2xx"] or r["peer_non2xx"]]
    if failed:
        print("Responses that were not 2xx (or socket errors) on: ", end="")
        print(", ".join(f"{r['db']} {r['page']}" for r in failed))
        return 1
    return 0


if __name__ == "__main__":
    # `make bench` runs every script without arguments: BENCH_THROUGHPUT="--quick" passes some.
    sys.exit(main(sys.argv[1:] or os.environ.get("BENCH_THROUGHPUT", "").split()))
