"""Certificate figures: PDF render time, issuing 1,000 certificates, the verification page.

Run: .venv/bin/python benchmarks/certificates.py   (BENCH_CERTIFICATES=200 for a quicker run)
Uses an in-memory SQLite database and a temporary media directory; nothing is left behind.
"""

from __future__ import annotations

import os
import shutil
import statistics
import sys
import tempfile
import time
from datetime import date
from decimal import Decimal
from pathlib import Path
from unittest import mock

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.test")
os.environ["DATABASE_URL"] = "sqlite://:memory:"
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.http import HttpResponse  # noqa: E402
from django.urls import path  # noqa: E402

import cms.urls  # noqa: E402

_BARE_BODY = {"bytes": b""}


def bare(request):
    return HttpResponse(_BARE_BODY["bytes"])


urlpatterns = [path("bare/", bare), *cms.urls.urlpatterns]


def median_ms(fn, runs: int) -> float:
    fn()  # warm up
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def bench_render() -> None:
    from learners.certificates.pdf import (
        CertificatePdfData,
        render_certificate_pdf,
        render_plain_pdf,
    )

    data = CertificatePdfData(
        holder_name="Ιωάννα Коваленко Núñez",
        course_title="Planning and managing the international action of local governments",
        completed_on=date(2026, 11, 29),
        code="96HK-3HW9-NFPH-SMX6-VF3Y-XC70-YAKP",
        verify_url="https://capacitas.example/certificates/verify/96HK-3HW9-NFPH-SMX6-VF3Y-XC70-YAKP/",
        heading="Certificate of completion",
        statement="has successfully completed the course",
        issuer_name="Capacitas",
        signatory_name="Capacitas Training Office",
        signatory_title="Programme director",
        estimated_hours=Decimal("12"),
        expires_on=date(2028, 11, 29),
    )
    certificate = median_ms(lambda: render_certificate_pdf(data), 30)
    plain = median_ms(lambda: render_plain_pdf("One line of text."), 30)
    print(f"certificate PDF render, median of 30:      {certificate:8.1f} ms")
    print(f"one-line PDF render (fpdf2), median of 30: {plain:8.1f} ms")
    print(f"ratio certificate / one-line:              {certificate / plain:8.2f} x")


def bench_issue(count: int) -> None:
    from django.utils import timezone

    from learners.certificates import services as service
    from learners.models import Certificate, Enrolment, User
    from tests.factories import make_course

    course = make_course(modules=1, lessons_per_module=1, certificate_validity_months=24).course
    now = timezone.now()

    def enrolments(prefix: str) -> list[Enrolment]:
        users = User.objects.bulk_create(
            [
                User(email=f"{prefix}{i}@bench.example", full_name=f"Bench Person {i}")
                for i in range(count)
            ]
        )
        return Enrolment.objects.bulk_create(
            [
                Enrolment(user=u, course=course, course_title=course.title, completed_at=now)
                for u in users
            ]
        )

    batch = enrolments("a")
    with mock.patch.object(service, "_enqueue_render", lambda certificate: None):
        start = time.perf_counter()
        for enrolment in batch:
            service.certificate_issue(enrolment=enrolment)
        issue_only = time.perf_counter() - start
    batch = enrolments("b")
    start = time.perf_counter()
    for enrolment in batch:
        service.certificate_issue(enrolment=enrolment)  # renders through the task backend
    full = time.perf_counter() - start
    stored = Certificate.objects.filter(pdfs__isnull=False).distinct().count()
    backend = settings.TASKS["default"]["BACKEND"].rsplit(".", 1)[-1]
    print(f"issue {count} certificates, records only:      {issue_only:8.2f} s")
    print(f"issue {count} certificates + PDF via {backend}: {full:8.2f} s ({stored} PDFs stored)")


def bench_verify() -> None:
    from django.test import Client

    from learners.models import Certificate

    certificate = Certificate.objects.first()
    client = Client()
    url = certificate.get_verify_url()
    _BARE_BODY["bytes"] = client.get(url).content
    assert client.get(url).status_code == 200
    with (
        mock.patch("learners.certificates.views.VERIFY_LIMIT", 10**9),
        mock.patch.object(settings, "ROOT_URLCONF", __name__),
    ):
        from django.urls import clear_url_caches

        clear_url_caches()
        bare_response = client.get("/bare/")
        assert bare_response.status_code == 200 and bare_response.content == _BARE_BODY["bytes"]
        page = median_ms(lambda: client.get(url), 300)
        plain = median_ms(lambda: client.get("/bare/"), 300)
    print(f"verification page, median of 300:          {page:8.2f} ms")
    print(f"bare view, same bytes, median of 300:      {plain:8.2f} ms")
    print(f"ratio verification / bare:                 {page / plain:8.2f} x")


def main() -> None:
    from django.db import connection

    count = int(os.environ.get("BENCH_CERTIFICATES", "1000"))
    media = tempfile.mkdtemp(prefix="capacitas-bench-media-")
    settings.MEDIA_ROOT = media
    settings.ALLOWED_HOSTS = ["*"]
    connection.creation.create_test_db(verbosity=0)
    try:
        print("== certificates ==")
        bench_render()
        bench_issue(count)
        bench_verify()
    finally:
        shutil.rmtree(media, ignore_errors=True)


if __name__ == "__main__":
    main()
