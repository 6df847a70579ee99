"""Quiz benchmarks: median time of the quiz page, the 50-question taking page and a
50-question submission, each against a bare Django view returning the same number of bytes.

Run: .venv/bin/python benchmarks/quizzes.py [repetitions]
Uses a throwaway SQLite database, so it needs no running services.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
_tmp = tempfile.mkdtemp(prefix="capacitas-bench-")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.test")
os.environ["DATABASE_URL"] = f"sqlite:///{_tmp}/bench.sqlite3"

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.http import HttpResponse  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import clear_url_caches, path, reverse  # noqa: E402

REPS = int(sys.argv[1]) if len(sys.argv) > 1 else 200
BARE_BODY = {"size": 0}


def bare(request):
    return HttpResponse(b"x" * BARE_BODY["size"])


def median_ms(fn, reps: int) -> float:
    for _ in range(min(10, reps)):
        fn()
    times = []
    for _ in range(reps):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def bare_ms(size: int, reps: int, client: Client) -> float:
    BARE_BODY["size"] = size
    return median_ms(lambda: client.get("/__bench/bare/"), reps)


def main() -> None:
    from django.conf import settings

    settings.ALLOWED_HOSTS = ["testserver"]
    call_command("migrate", verbosity=0)
    from cms import urls

    urls.urlpatterns.insert(0, path("__bench/bare/", bare))
    clear_url_caches()

    from learners.attempts.services import attempt_start
    from learners.models import QuizAttempt
    from learners.progress.services import enrolment_create
    from tests.factories import UserFactory, correct_form, make_course, make_quiz

    tree = make_course(modules=1, lessons_per_module=1)
    quiz = make_quiz(tree.modules[0], questions=50)
    learner = UserFactory()
    enrolment_create(user=learner, course=tree.course)
    client = Client()
    client.force_login(learner)

    rows = []
    first = client.get(quiz.url)
    assert first.status_code == 200, first.status_code
    page_size = len(first.content)
    rows.append(
        ("quiz page (50-question quiz)", median_ms(lambda: client.get(quiz.url), REPS), page_size)
    )

    attempt = attempt_start(user=learner, quiz=quiz)
    take_url = reverse("learn_attempt", args=[attempt.public_id])
    taking = client.get(take_url)
    assert taking.status_code == 200, taking.status_code
    take_size = len(taking.content)
    rows.append(
        ("taking page, 50 questions", median_ms(lambda: client.get(take_url), REPS), take_size)
    )

    # Each submission needs its own open attempt; starting one is outside the timed part.
    sub_reps = max(20, REPS // 4)
    times = []
    for _ in range(sub_reps + 5):
        attempt = attempt_start(user=learner, quiz=quiz)
        url = reverse("learn_attempt", args=[attempt.public_id])
        data = {
            "attempt": str(attempt.public_id),
            "action": "submit",
            **correct_form(attempt.snapshot),
        }
        start = time.perf_counter()
        response = client.post(url, data)
        times.append(time.perf_counter() - start)
        assert response.status_code == 302, response.status_code
    submit_ms = statistics.median(times[5:]) * 1000
    assert QuizAttempt.objects.filter(passed=True).count() >= sub_reps
    result = client.get(reverse("learn_attempt_result", args=[attempt.public_id]))
    assert result.status_code == 200, result.status_code
    rows.append(("50-question submission (POST)", submit_ms, len(response.content)))
    rows.append(
        (
            "result page, 50 questions",
            median_ms(lambda: client.get(result.wsgi_request.path), REPS),
            len(result.content),
        )
    )

    print(
        f"Quiz benchmarks (median of {REPS} requests; {sub_reps} submissions), "
        "SQLite, django.test.Client"
    )
    print(f"{'what':<34} {'ms':>8} {'bytes':>8} {'bare ms':>8} {'ratio':>7}")
    for name, ms, size in rows:
        base = bare_ms(size, REPS, client)
        print(f"{name:<34} {ms:8.2f} {size:8d} {base:8.3f} {ms / base:7.1f}")


if __name__ == "__main__":
    main()
