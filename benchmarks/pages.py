"""Learner pages served through Django's WSGI handler, against a bare view of the same size.

The lesson page, the course page, `/learn/` and a quiz page, side by side: for each, its
queries against its budget (issue 10: lesson 8, course 10, `/learn/` 12, quiz 12) and its
median time as a multiple of the bare view (target: 15x at most).

Builds its own throwaway SQLite database (migrate + the demo loader: the flagship course,
the demo learner with a course in progress, a few dozen other learners), logs the demo
learner in, then requests each page many times and prints the median time per request and
its ratio to a bare Django view that returns the same number of bytes through the same
middleware. Run with `make bench` (all benchmarks) or `.venv/bin/python benchmarks/pages.py`.

Environment: BENCH_ROUNDS (default 200) requests per page after BENCH_WARMUP (default 10).

Instruction counts: wall and CPU time move with whatever else the machine runs, so the same
pages are also measured under `valgrind --tool=callgrind`, in a second process on the same
database: per page, a few warm-up requests, then BENCH_CALLGRIND_ROUNDS (default 5) requests
between two markers (`os.getppid()` zeroes the counters, `os.getpgrp()` dumps them), the page
and its bare view alternated in one run. Instructions per request and their ratio to the bare
view are repeatable to a fraction of a percent whatever the load. Skipped (with a note) when
valgrind is not installed; BENCH_CALLGRIND=0 skips it too.
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import types
import warnings
from importlib import import_module
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

ROUNDS = int(os.environ.get("BENCH_ROUNDS", "200"))
WARMUP = int(os.environ.get("BENCH_WARMUP", "10"))
CALLGRIND_ROUNDS = int(os.environ.get("BENCH_CALLGRIND_ROUNDS", "5"))
CALLGRIND_WARMUP = 3


def setup_django(db_path: Path) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "cms.settings.test"
    os.environ["DATABASE_URL"] = f"sqlite:///{db_path}"
    os.environ["ALLOWED_HOSTS"] = "testserver,localhost"
    import django

    django.setup()


def install_bare_view() -> None:
    """Serve /__bare__/<bytes>/ before the project's URLs: the floor any page stands on."""
    from django.conf import settings
    from django.http import HttpResponse
    from django.urls import clear_url_caches, path

    def bare(request, size: int):
        return HttpResponse(b"x" * size, content_type="text/html; charset=utf-8")

    module = types.ModuleType("bench_urls")
    module.urlpatterns = [
        path("__bare__/<int:size>/", bare),
        # The site's own patterns, not include()d: they hold i18n_patterns, which Django
        # accepts only in the root URLconf.
        *import_module(settings.ROOT_URLCONF).urlpatterns,
    ]
    sys.modules["bench_urls"] = module
    settings.ROOT_URLCONF = "bench_urls"
    clear_url_caches()


def build_data() -> dict[str, str]:
    from django.core.management import call_command

    from cms.demo.site import FLAGSHIP_SLUG
    from courses.selectors.outline import course_outline
    from learners.models import Enrolment
    from learners.progress.selectors import course_progress

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    call_command("load_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    # The demo learner's current cycle of the flagship course (they also hold other courses).
    enrolment = Enrolment.objects.select_related("user").get(
        user__email="learner@example.org",
        course__slug=FLAGSHIP_SLUG,
        archived_at__isnull=True,
    )
    course = enrolment.course.specific
    outline = course_outline(course)
    progress = course_progress(enrolment.user, outline)
    lesson = progress.continue_item or outline.lessons[0]
    print(
        f"Data: demo loaded in {time.perf_counter() - started:.0f} s; course of "
        f"{outline.lesson_count} lessons in {len(outline.modules)} modules, "
        f"{Enrolment.objects.count()} enrolments; learner at {progress.percent} %."
    )
    quiz = outline.quizzes[0]
    return {
        "email": enrolment.user.email,
        "lesson page": lesson.url,
        "course outline": course.url,
        "/learn/": "/en/learn/",
        "quiz page": quiz.url,
    }


# Query budgets and the in-process target of issue 10.
BUDGETS = {"lesson page": 8, "course outline": 10, "/learn/": 12, "quiz page": 12}
TARGET_MULTIPLE = 15


def time_requests(client, url: str) -> tuple[float, float, int]:
    """Median wall time and median CPU time of the process per request, and the page's size.

    CPU time is what the page costs this process; on a shared machine the wall time also
    counts the time other processes held the cores, which inflates long requests more than
    the bare view's short one.
    """
    for _ in range(WARMUP):
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    wall, cpu = [], []
    for _ in range(ROUNDS):
        start, start_cpu = time.perf_counter(), time.process_time()
        response = client.get(url)
        cpu.append(time.process_time() - start_cpu)
        wall.append(time.perf_counter() - start)
    return statistics.median(wall), statistics.median(cpu), len(response.content)


def count_queries(client, url: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    return len(captured)


def callgrind_child(db_path: Path, plan_path: Path) -> None:
    """Runs under callgrind: each measurement's requests between the zero and dump markers."""
    setup_django(db_path)
    from django.test import Client

    install_bare_view()
    plan = json.loads(plan_path.read_text())
    client = Client()
    from learners.models import User

    client.force_login(User.objects.get(email=plan["email"]))
    for url in plan["urls"]:
        for _ in range(CALLGRIND_WARMUP):
            response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        os.getppid()  # callgrind --zero-before=getppid
        for _ in range(CALLGRIND_ROUNDS):
            client.get(url)
        os.getpgrp()  # callgrind --dump-before=getpgrp


def callgrind_counts(db_path: Path, email: str, urls: list[str], tmp: Path) -> list[int] | None:
    """Instructions per request for each url, measured in one callgrind run."""
    from django.db import connections

    connections.close_all()
    plan = tmp / "callgrind-plan.json"
    plan.write_text(json.dumps({"email": email, "urls": urls}))
    out = tmp / "callgrind.out"
    command = [
        "valgrind",
        "--tool=callgrind",
        f"--callgrind-out-file={out}",
        "--zero-before=getppid",
        "--dump-before=getpgrp",
        sys.executable,
        str(Path(__file__).resolve()),
        "--callgrind-child",
        str(db_path),
        str(plan),
    ]
    done = subprocess.run(command, capture_output=True, text=True, check=False)  # noqa: S603
    if done.returncode != 0:
        print(f"callgrind run failed (status {done.returncode}):\n{done.stderr[-2000:]}")
        return None
    counts = []
    for n in range(1, len(urls) + 1):
        dump = Path(f"{out}.{n}").read_text()
        summary = next(line for line in dump.splitlines() if line.startswith("summary:"))
        counts.append(int(summary.split()[1]) // CALLGRIND_ROUNDS)
    return counts


def print_instruction_counts(db_path: Path, email: str, sizes: dict[str, tuple[str, int]], tmp):
    if os.environ.get("BENCH_CALLGRIND", "1") == "0":
        return
    if shutil.which("valgrind") is None:
        print("Instruction counts: skipped (valgrind not installed).")
        return
    urls = []
    for url, size in sizes.values():
        urls += [url, f"/__bare__/{size}/"]
    started = time.perf_counter()
    counts = callgrind_counts(db_path, email, urls, tmp)
    if counts is None:
        return
    print(
        f"\nInstructions per request (valgrind --tool=callgrind, {CALLGRIND_ROUNDS} requests "
        f"after {CALLGRIND_WARMUP} warm-up, page and bare view in one run, "
        f"{time.perf_counter() - started:.0f} s):"
    )
    header = "{:<16} {:>14} {:>14} {:>9} {:>7}".format(
        "page", "instructions", "bare view", "ratio", "target"
    )
    print(header)
    print("-" * len(header))
    for n, name in enumerate(sizes):
        page, bare = counts[2 * n], counts[2 * n + 1]
        print(f"{name:<16} {page:>14,} {bare:>14,} {page / bare:>8.1f}x {TARGET_MULTIPLE:>6}x")


def main() -> None:
    if sys.argv[1:2] == ["--callgrind-child"]:
        callgrind_child(Path(sys.argv[2]), Path(sys.argv[3]))
        return
    # WhiteNoise notes the absent collectstatic directory; irrelevant to these figures.
    warnings.filterwarnings("ignore", message="No directory at")
    with tempfile.TemporaryDirectory(prefix="capacitas-bench-") as tmp:
        db_path = Path(tmp) / "bench.sqlite3"
        setup_django(db_path)
        # No setup_test_environment(): its template instrumentation copies every context and
        # would inflate the figures. ALLOWED_HOSTS admits the test client's host instead.
        from django.test import Client

        install_bare_view()
        pages = build_data()
        client = Client()
        from learners.models import User

        email = pages.pop("email")
        client.force_login(User.objects.get(email=email))

        print(f"{ROUNDS} requests per page after {WARMUP} warm-up requests (median).")
        columns = ("page", "bytes", "queries", "budget", "median ms", "bare ms", "ratio")
        columns += ("cpu ms", "bare cpu", "cpu ratio")
        header = "{:<16} {:>7} {:>7} {:>6} {:>10} {:>8} {:>6} {:>7} {:>8} {:>9}".format(*columns)
        print(header)
        print("-" * len(header))
        sizes = {}
        for name, url in pages.items():
            median, cpu, size = time_requests(client, url)
            sizes[name] = (url, size)
            bare_median, bare_cpu, bare_size = time_requests(client, f"/__bare__/{size}/")
            assert bare_size == size
            queries = count_queries(client, url)
            print(
                f"{name:<16} {size:>7} {queries:>7} {BUDGETS[name]:>6} {median * 1000:>10.2f} "
                f"{bare_median * 1000:>8.2f} {median / bare_median:>6.1f} "
                f"{cpu * 1000:>7.2f} {bare_cpu * 1000:>8.2f} {cpu / bare_cpu:>9.1f}"
            )
        print(f"Target: each ratio at most {TARGET_MULTIPLE}x, queries within budget.")
        print_instruction_counts(db_path, email, sizes, Path(tmp))


if __name__ == "__main__":
    main()
