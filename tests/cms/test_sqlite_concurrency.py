"""SQLite, the embedded default, under concurrent writers: no "database is locked".

Every lesson GET of an enrolled learner writes (the last-viewed time), and marking a lesson
complete or enrolling writes too. With Django's default DEFERRED transactions, two such
requests at the same moment make SQLite refuse the second writer at once, and the learner
gets a 500. The SQLite options in `cms.settings.base` (IMMEDIATE transactions, WAL, a busy
timeout) make writers wait for their turn instead. This test runs 16 threads of real
requests through the full stack against a file-backed copy of the test database (an
in-memory database has neither WAL nor the same locking) and counts the failures.
"""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import pytest
from django.conf import settings
from django.db import OperationalError, connections
from django.test import Client
from django.urls import reverse

from learners.models import Enrolment, LessonProgress
from tests.factories import UserFactory, make_course

THREADS = 16
LEARNERS = 8  # two threads per learner: the same enrolment is written from two places at once
ROUNDS = 1  # passes over the course's lessons per thread

pytestmark = pytest.mark.skipif(
    settings.DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3",
    reason="SQLite locking only: PostgreSQL locks rows, and its races are tested elsewhere",
)


def test_settings_configure_sqlite_for_concurrent_writers():
    options = settings.DATABASES["default"]["OPTIONS"]
    assert options["transaction_mode"] == "IMMEDIATE"
    pragmas = options["init_command"].replace(" ", "").lower()
    assert "journal_mode=wal" in pragmas
    assert "busy_timeout=" in pragmas


@pytest.fixture
def file_database(transactional_db, tmp_path):
    """Run the test body on a file copy of the test database, with the project's options.

    Django keeps one connection per thread; each thread (this one included) installs its own
    connection to the copy, built from the configured settings with only the file name changed.
    """
    path: Path = tmp_path / "concurrency.sqlite3"
    original = connections["default"]
    original.ensure_connection()
    target = sqlite3.connect(path)
    original.connection.backup(target)
    target.close()
    settings_dict = {**original.settings_dict, "NAME": str(path)}

    def connect() -> None:
        connections["default"] = original.__class__(settings_dict, "default")

    connect()
    yield connect
    connections["default"].close()
    connections["default"] = original


def test_concurrent_learners_never_hit_a_locked_database(file_database):
    with connections["default"].cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        assert cursor.fetchone()[0] == "wal"

    tree = make_course(modules=2, lessons_per_module=2)
    course = tree.course
    enrol_url = reverse("learn_enrol", args=[course.pk])
    lessons = [
        (lesson.url, reverse("learn_complete_lesson", args=[lesson.pk])) for lesson in tree.lessons
    ]
    cookies = []
    for _ in range(LEARNERS):
        client = Client()
        client.force_login(UserFactory())
        cookies.append(client.cookies)

    start = threading.Barrier(THREADS)
    lock = threading.Lock()
    statuses: dict[int, int] = {}
    errors: list[str] = []

    def send(client: Client, method: str, url: str, data=None) -> None:
        try:
            status = getattr(client, method)(url, data).status_code
        except OperationalError as error:  # the test client re-raises a view's exception
            with lock:
                errors.append(f"{method.upper()} {url}: {error}")
            return
        with lock:
            statuses[status] = statuses.get(status, 0) + 1

    def learner_session(index: int) -> None:
        file_database()
        client = Client()
        client.cookies = cookies[index % LEARNERS]
        try:
            start.wait()
            # Both threads of a learner enrol at the same moment: one enrolment must result.
            send(client, "post", enrol_url)
            for _ in range(ROUNDS):
                for lesson_url, complete_url in lessons:
                    send(client, "get", lesson_url)
                    send(client, "post", complete_url, {"next": lesson_url})
        finally:
            connections["default"].close()

    threads = [threading.Thread(target=learner_session, args=(i,)) for i in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads), "a thread is still waiting"

    expected = THREADS * (1 + ROUNDS * 2 * len(lessons))
    assert errors == [], f"{len(errors)} of {expected} requests failed, first: {errors[0]}"
    assert sum(statuses.values()) == expected
    assert set(statuses) <= {200, 302}, statuses

    assert Enrolment.objects.filter(course=course).count() == LEARNERS
    assert LessonProgress.objects.filter(
        enrolment__course=course, completed_at__isnull=False
    ).count() == LEARNERS * len(lessons)
