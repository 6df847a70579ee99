"""Load test: N concurrent learners through the mixed learning journey, with exact error counts.

Each simulated learner (one thread, its own cookies, no think time: a closed loop) repeats:

    course page · lesson page · mark the lesson complete (POST) · quiz page · start the quiz
    (POST) · the taking page · save answers (POST) · submit (POST) · /learn/ · certificate PDF

(learner i starts at the i-th of those five blocks, so a short run still covers every step)

with real forms: CSRF tokens read from the pages, answers read from the quiz form. Every
response is checked (status, redirect target, PDF bytes); anything else, a timeout or a
connection error is an error. It prints requests, errors, req/s (and as a multiple of 25 req/s,
issue 10's starting figure for 50 learners), p50/p95/p99 overall and per step, and exits 1 on
any error.

Two ways to run it:

- Against a served site: `benchmarks/load.py --base-url http://127.0.0.1:8000 --users 20
  --seconds 15`, from a shell with the site's environment (DATABASE_URL, REDIS_URL,
  DJANGO_SETTINGS_MODULE…): the learners are made first in that database with
  `manage.py prepare_load_journey` (or pass `--plan FILE` that it wrote).
- Self-served (no --base-url; what `make bench` runs): it starts `deploy/serve` (gunicorn with
  `--web-workers` processes + the task worker, production settings) on a throwaway SQLite
  database in a temporary folder, or on DATABASE_URL/REDIS_URL when they are set, runs the load
  and stops it. Defaults: 50 learners for 30 s.

Requests go to loopback only, are bounded by --seconds (requests in flight then finish, each
within --timeout), and the script stops by itself.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import os
import re
import secrets
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BASELINE_RPS = 25.0  # issue 10: 50 learners on gunicorn + PostgreSQL + Redis, before this work
STEPS = (
    "course",
    "lesson",
    "complete",
    "quiz",
    "quiz_start",
    "attempt",
    "save",
    "submit",
    "dashboard",
    "certificate",
)
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
CHOICE = re.compile(r'type="radio" id="[^"]*" name="(q-[^"]+)" value="([^"]+)"')
LOOPBACK = ("127.", "localhost", "[::1]")


class JourneyError(Exception):
    """A response the journey did not expect: counted as an error of its step."""


class TimeUp(Exception):
    """The run's time is over: the learner stops before its next request (nothing counted)."""


@dataclass
class Stats:
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: Counter = field(default_factory=Counter)
    examples: dict[str, str] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)
    elapsed: float = 0.0

    def record(self, step: str, seconds: float, error: str | None) -> None:
        with self.lock:
            self.latencies[step].append(seconds)
            if error:
                self.errors[step] += 1
                self.examples.setdefault(step, error)


class Learner:
    """One learner's browser: cookies, the last page's CSRF token, no redirects followed."""

    def __init__(
        self,
        base_url: str,
        plan: dict,
        person: dict,
        stats: Stats,
        timeout: float,
        deadline: float,
    ):
        parsed = urllib.parse.urlsplit(base_url)
        self.https = parsed.scheme == "https"
        self.host = parsed.hostname
        self.port = parsed.port or (443 if self.https else 80)
        self.origin = f"{parsed.scheme}://{parsed.netloc}"
        self.plan = plan
        self.person = person
        self.stats = stats
        self.timeout = timeout
        self.deadline = deadline
        self.cookies = {plan["session_cookie"]: person["session"]}
        self.token = ""
        self.lessons_seen = 0
        self.referer = self.origin + "/"

    def _request(self, step: str, method: str, path: str, form: list | None = None):
        if time.monotonic() >= self.deadline:
            # Requests already sent finish and count; none starts after the deadline.
            raise TimeUp
        body = urllib.parse.urlencode(form or []) if form is not None else None
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            # What a browser sends with a form post; Django checks them over HTTPS.
            headers["Origin"] = self.origin
            headers["Referer"] = self.referer
        connection_class = http.client.HTTPSConnection if self.https else http.client.HTTPConnection
        connection = connection_class(self.host, self.port, timeout=self.timeout)
        started = time.perf_counter()
        error = None
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            content = response.read()
            for header in response.headers.get_all("Set-Cookie") or []:
                name, _, rest = header.partition("=")
                value = rest.split(";", 1)[0]
                if value in ("", '""') or "max-age=0" in rest.lower():
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = value
            return response.status, response.headers, content
        except (OSError, http.client.HTTPException) as exc:
            error = f"{type(exc).__name__}: {exc}"
            raise JourneyError(error) from exc
        finally:
            connection.close()
            self.stats.record(step, time.perf_counter() - started, error)

    def _expect(self, step, method, path, *, status, form=None, location=None, check=None):
        try:
            got, headers, content = self._request(step, method, path, form)
        except JourneyError:
            return None  # already counted by _request
        problem = None
        if got != status:
            problem = f"{method} {path}: {got}, expected {status}"
        elif location is not None and not re.search(location, headers.get("Location", "")):
            problem = f"{method} {path}: redirected to {headers.get('Location')!r}"
        elif check is not None:
            problem = check(headers, content)
        if problem:
            with self.stats.lock:
                self.stats.errors[step] += 1
                self.stats.examples.setdefault(step, problem)
            return None
        if got == 200 and headers.get_content_type() == "text/html":
            found = TOKEN.search(content.decode("utf-8", "replace"))
            if found:
                self.token = found.group(1)
            self.referer = self.origin + path
        return headers, content

    # The journey in blocks; learner i starts at block i % 5, so that even a short run with
    # many learners covers every step in the same proportions instead of only the first ones.
    def block_course(self) -> None:
        self._expect("course", "GET", self.plan["course_url"], status=200)

    def block_lesson(self) -> None:
        lesson = self.plan["lessons"][self.lessons_seen % len(self.plan["lessons"])]
        self.lessons_seen += 1
        if not self._expect("lesson", "GET", lesson["url"], status=200):
            return
        self._expect(
            "complete",
            "POST",
            f"/en/learn/lessons/{lesson['id']}/complete/",
            status=302,
            form=[("csrfmiddlewaretoken", self.token), ("next", lesson["url"])],
            location=re.escape(lesson["url"]) + "$",
        )

    def block_quiz(self) -> None:
        quiz = self.plan["quiz"]
        if not self._expect("quiz", "GET", quiz["url"], status=200):
            return
        started = self._expect(
            "quiz_start",
            "POST",
            f"/en/learn/quizzes/{quiz['id']}/start/",
            status=302,
            form=[("csrfmiddlewaretoken", self.token)],
            location=r"/en/learn/attempts/[0-9a-f-]{36}/$",
        )
        if not started:
            return
        take_url = urllib.parse.urlsplit(started[0]["Location"]).path
        taken = self._expect("attempt", "GET", take_url, status=200)
        if not taken:
            return
        html = taken[1].decode("utf-8", "replace")
        public_id = take_url.rstrip("/").rsplit("/", 1)[-1]
        choices: dict[str, list[str]] = defaultdict(list)
        for name, value in CHOICE.findall(html):
            choices[name].append(value)
        if not choices:
            with self.stats.lock:
                self.stats.errors["attempt"] += 1
                self.stats.examples.setdefault("attempt", f"no question found on {take_url}")
            return
        answers = [(name, secrets.choice(values)) for name, values in choices.items()]
        common = [("csrfmiddlewaretoken", self.token), ("attempt", public_id)]
        self._expect(
            "save",
            "POST",
            take_url,
            status=302,
            form=[*common, ("action", "save"), *answers[: len(answers) // 2]],
            location=re.escape(take_url) + "$",
        )
        self._expect(
            "submit",
            "POST",
            take_url,
            status=302,
            form=[*common, ("action", "submit"), *answers],
            location=re.escape(take_url) + "result/$",
        )

    def block_dashboard(self) -> None:
        self._expect("dashboard", "GET", "/en/learn/", status=200)

    def block_certificate(self) -> None:
        self._expect(
            "certificate",
            "GET",
            f"/en/learn/certificates/{self.person['certificate']}/pdf",
            status=200,
            check=_certificate_check,
        )

    def run(self, first_block: int) -> None:
        blocks = (
            self.block_course,
            self.block_lesson,
            self.block_quiz,
            self.block_dashboard,
            self.block_certificate,
        )
        n = first_block
        while True:  # until TimeUp
            blocks[n % len(blocks)]()
            n += 1


def _certificate_check(headers, content) -> str | None:
    if headers.get("Location"):
        # Object storage: a signed, expiring URL to the private bucket.
        if "Signature" in headers["Location"]:
            return None
        return f"certificate redirect without a signature: {headers['Location'][:80]}"
    if headers.get_content_type() != "application/pdf" or not content.startswith(b"%PDF"):
        return f"certificate is not a PDF ({headers.get_content_type()}, {len(content)} bytes)"
    return None


def run_load(base_url: str, plan: dict, users: int, seconds: float, timeout: float) -> Stats:
    stats = Stats()
    learners = plan["learners"]
    if len(learners) < users:
        raise SystemExit(f"The plan has {len(learners)} learners; --users asks for {users}.")
    deadline = time.monotonic() + seconds

    def loop(index: int, person: dict) -> None:
        learner = Learner(base_url, plan, person, stats, timeout, deadline)
        with contextlib.suppress(TimeUp):
            learner.run(first_block=index)

    threads = [
        threading.Thread(target=loop, args=(i, p), daemon=True)
        for i, p in enumerate(learners[:users])
    ]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    stats.elapsed = time.monotonic() - started
    return stats


def _percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def report(stats: Stats, users: int, seconds: float, label: str) -> int:
    every = [value for values in stats.latencies.values() for value in values]
    total = len(every)
    errors = sum(stats.errors.values())
    rps = total / stats.elapsed if stats.elapsed else 0.0
    print(f"\nLoad: {label}")
    print(f"{users} learners, {seconds:.0f} s (ran {stats.elapsed:.1f} s until the last reply)")
    print(f"{'step':<12} {'requests':>8} {'errors':>7} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}")
    for step in STEPS:
        values = stats.latencies.get(step, [])
        if not values:
            continue
        print(
            f"{step:<12} {len(values):>8} {stats.errors[step]:>7} "
            f"{_percentile(values, 0.5) * 1000:>8.0f} {_percentile(values, 0.95) * 1000:>8.0f} "
            f"{_percentile(values, 0.99) * 1000:>8.0f}"
        )
    if total:
        print(
            f"{'all':<12} {total:>8} {errors:>7} {statistics.median(every) * 1000:>8.0f} "
            f"{_percentile(every, 0.95) * 1000:>8.0f} {_percentile(every, 0.99) * 1000:>8.0f}"
        )
    print(
        f"requests {total}, errors {errors} ({(errors / total * 100) if total else 0:.2f} %), "
        f"{rps:.1f} req/s = {rps / BASELINE_RPS:.2f}x the 25 req/s baseline"
    )
    for step, example in stats.examples.items():
        print(f"  first {step} error: {example}")
    if not total:
        print("No request was made.")
        return 1
    return 1 if errors else 0


def prepare(users: int, env: dict, workdir: Path) -> dict:
    output = workdir / "load-plan.json"
    command = [
        sys.executable,
        "manage.py",
        "prepare_load_journey",
        "--learners",
        str(users),
        "--output",
        str(output),
        "--allow-production-settings",
    ]
    subprocess.run(command, cwd=ROOT, env=env, check=True)  # noqa: S603 - our own manage.py
    return json.loads(output.read_text())


def wait_ready(base_url: str, seconds: float, server: subprocess.Popen | None = None) -> None:
    parsed = urllib.parse.urlsplit(base_url)
    deadline = time.monotonic() + seconds
    last = "no answer"
    while time.monotonic() < deadline:
        if server is not None and server.poll() is not None:
            raise SystemExit(f"The server exited ({server.returncode}) before it was ready.")
        try:
            connection = http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=5)
            connection.request("GET", "/readyz", headers={"Host": "127.0.0.1"})
            response = connection.getresponse()
            body = response.read().decode()
            connection.close()
            if response.status == 200:
                return
            last = f"{response.status} {body}"
        except OSError as exc:
            last = str(exc)
        time.sleep(1)
    raise SystemExit(f"/readyz did not answer 200 within {seconds:.0f} s: {last}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base-url", help="A served site (loopback); omitted: serve one here.")
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--timeout", type=float, default=120, help="Seconds per request at most.")
    parser.add_argument("--plan", help="A JSON file from prepare_load_journey (skips the setup).")
    parser.add_argument("--web-workers", type=int, default=2, help="Self-served: gunicorn workers.")
    parser.add_argument("--port", type=int, default=8421, help="Self-served: the port.")
    parser.add_argument(
        "--ready-timeout",
        type=float,
        default=900,
        help="Self-served: seconds to wait for /readyz (migrations on a busy machine).",
    )
    args = parser.parse_args()
    # SIGTERM (a CI timeout, kill) unwinds like Ctrl+C, so a self-served stack is stopped too.
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))
    if args.users < 1 or args.seconds <= 0:
        parser.error("--users and --seconds must be positive")

    workdir = Path(tempfile.mkdtemp(prefix="capacitas-load-"))
    env = dict(os.environ)
    server = None
    base_url = args.base_url
    if base_url:
        host = urllib.parse.urlsplit(base_url).hostname or ""
        if not host.startswith(LOOPBACK):
            parser.error("--base-url must be on this machine (loopback)")
    else:
        base_url = f"http://127.0.0.1:{args.port}"
        # The setup step signs the learners' sessions: it needs the server's key and database.
        env.setdefault("SECRET_KEY", secrets.token_urlsafe(50))
        env.setdefault("DATABASE_URL", f"sqlite:///{workdir / 'db.sqlite3'}")
        env.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.production")
        env.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost")
        env.setdefault("MEDIA_ROOT", str(workdir / "media"))
        env.setdefault("PRIVATE_MEDIA_ROOT", str(workdir / "private-media"))
        env.update(
            SERVE_STATE_DIR=str(workdir),
            HOST="127.0.0.1",
            PORT=str(args.port),
            WEB_CONCURRENCY=str(args.web_workers),
        )
        log = (workdir / "serve.log").open("w")
        server = subprocess.Popen(  # noqa: S603 - our own script
            [str(ROOT / "deploy" / "serve")], cwd=ROOT, env=env, stdout=log, stderr=log
        )
    try:
        if server is not None:
            wait_ready(base_url, args.ready_timeout, server)
        plan = (
            json.loads(Path(args.plan).read_text())
            if args.plan
            else prepare(args.users, env, workdir)
        )
        where = env.get("DATABASE_URL", "").split("://", 1)[0] or "the served database"
        label = f"{base_url}" + (
            f" (self-served: {args.web_workers} gunicorn workers, {where}"
            f"{', Redis' if env.get('REDIS_URL') else ''})"
            if server is not None
            else ""
        )
        stats = run_load(base_url, plan, args.users, args.seconds, args.timeout)
        return report(stats, args.users, args.seconds, label)
    finally:
        if server is not None:
            server.send_signal(signal.SIGTERM)
            try:
                server.wait(timeout=90)
            except subprocess.TimeoutExpired:
                server.kill()
            if server.returncode not in (0, -signal.SIGTERM):
                print(f"deploy/serve exited {server.returncode}; log: {workdir / 'serve.log'}")


if __name__ == "__main__":
    sys.exit(main())
