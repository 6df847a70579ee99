"""My data: the archive holds everything about me, nothing about anyone else, for a limited time."""

import csv
import io
import json
import zipfile
from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from learners.models import DataExport, ExportStatus, XapiAccount
from learners.privacy.services import (
    EXPORTS_PER_HOUR,
    data_export_request,
    export_link_token,
)
from tests.factories import UserFactory
from tests.learners.privacy.conftest import TYPED_ANSWER

pytestmark = pytest.mark.django_db

EXPECTED_FILES = {
    "README.txt",
    "profile.json",
    "enrolments.json",
    "enrolments.csv",
    "lesson_progress.json",
    "lesson_progress.csv",
    "quiz_attempts.json",
    "quiz_attempts.csv",
    "activity.csv",
    "activity_xapi.json",
    "certificates.json",
    "certificates.csv",
    "hr_assignments.json",
    "hr_assignments.csv",
    "reminders.json",
    "reminders.csv",
    "membership_requests.json",
    "membership_requests.csv",
    "invitations.json",
    "invitations.csv",
}


def _export_for(client, user, django_capture_on_commit_callbacks):
    client.force_login(user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("privacy_export_request"))
    assert response.status_code == 302
    export = DataExport.objects.get(user=user)
    assert export.status == ExportStatus.READY
    # The link is signed with a timestamp in seconds: the page and the token made here must be
    # made in the same second, or the comparison fails on a slow machine.
    with time_machine.travel(timezone.now(), tick=False):
        page = client.get(reverse("privacy_my_data"))
        token = export_link_token(export)
    url = reverse("privacy_export_download", args=[token])
    assert url in page.content.decode()
    return export, url


def _zip(response) -> zipfile.ZipFile:
    return zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))


def _csv_rows(archive: zipfile.ZipFile, name: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(archive.read(name).decode("utf-8-sig"))))


def test_archive_holds_every_file_and_only_my_data(
    client, holder, bystander, django_capture_on_commit_callbacks
):
    # Sequence names such as "Department 1" sit inside "Department 12": give the bystander's a
    # name no other record can contain, so the "nothing foreign" check below cannot misfire.
    bystander.user.department.name = "Bystander's own unit"
    bystander.user.department.save(update_fields=["name"])
    _export, url = _export_for(client, holder.user, django_capture_on_commit_callbacks)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert response["Cache-Control"] == "private, no-store"
    archive = _zip(response)
    names = set(archive.namelist())
    pdf_name = f"certificates/{holder.certificate.display_code}.pdf"
    credential_name = f"credentials/credential-{holder.certificate.display_code}.jwt"
    assert names == EXPECTED_FILES | {pdf_name, credential_name}

    readme = archive.read("README.txt").decode()
    for name in names - {"README.txt"}:
        assert name in readme  # every file explained

    profile = json.loads(archive.read("profile.json"))
    assert profile["full_name"] == "Zoë Núñez-Papadopoulou"
    assert profile["email"] == "zoe@portesmer.example"
    assert profile["job_title"] == "Job of Zoë Núñez-Papadopoulou"
    assert profile["organisation"]["name"] == holder.user.organisation.name
    assert profile["department"] == holder.user.department.name
    assert profile["email_addresses"] == [
        {"email": "zoe@portesmer.example", "verified": True, "primary": True}
    ]

    enrolments = json.loads(archive.read("enrolments.json"))
    assert [e["course"] for e in enrolments] == ["International action basics"]
    assert enrolments[0]["completed_at"]
    progress = json.loads(archive.read("lesson_progress.json"))
    assert len(progress) == 2 and all(p["completed_at"] for p in progress)
    rows = _csv_rows(archive, "lesson_progress.csv")
    assert [r["lesson"] for r in rows] == [p["lesson"] for p in progress]

    attempts = json.loads(archive.read("quiz_attempts.json"))
    assert len(attempts) == 1
    shown = attempts[0]["questions_as_shown"]
    assert [q["text"] for q in shown] == [q["text"] for q in holder.attempt.snapshot]
    assert attempts[0]["answers"] == holder.attempt.answers
    assert f"{TYPED_ANSWER} Zoë Núñez-Papadopoulou" in json.dumps(attempts[0], ensure_ascii=False)

    statements = json.loads(archive.read("activity_xapi.json"))
    # The statements an LRS receives: the learner under their opaque xAPI account name.
    assert statements and {s["actor"]["account"]["name"] for s in statements} == {
        str(XapiAccount.objects.get(user=holder.user).name)
    }
    verbs = {s["verb"]["id"] for s in statements}
    assert "http://adlnet.gov/expapi/verbs/completed" in verbs
    activity = _csv_rows(archive, "activity.csv")
    assert len(activity) == len(statements)

    certificates = json.loads(archive.read("certificates.json"))
    assert [c["code"] for c in certificates] == [holder.certificate.display_code]
    pdf = archive.read(pdf_name)
    assert pdf.startswith(b"%PDF")
    holder.certificate.refresh_from_db()
    with holder.certificate.pdfs.get().file.open("rb") as stored:
        assert stored.read() == pdf

    assignments = json.loads(archive.read("hr_assignments.json"))
    assert [a["course"] for a in assignments] == ["International action basics"]

    # Nothing about the other learner, nor the HR officer's name, anywhere in the archive.
    everything = b"".join(archive.read(n) for n in names if not n.endswith(".pdf")).decode()
    for foreign in (
        "Bartholomew",
        "bart@portesmer.example",
        "Helga",
        bystander.certificate.display_code,
        bystander.user.department.name,
    ):
        assert foreign not in everything


def test_link_is_mine_alone(client, holder, bystander, django_capture_on_commit_callbacks):
    _export, url = _export_for(client, holder.user, django_capture_on_commit_callbacks)
    client.force_login(bystander.user)
    assert client.get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302  # to sign in, and then 404 for anyone else
    client.force_login(holder.user)
    assert client.get(url[:-2] + "x/").status_code == 404  # tampered signature


def test_link_expires(client, holder, django_capture_on_commit_callbacks, settings):
    settings.PRIVACY_EXPORT_LINK_HOURS = 24
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        _export, url = _export_for(client, holder.user, django_capture_on_commit_callbacks)
        traveller.shift(timedelta(hours=23, minutes=59))
        assert client.get(url).status_code == 200
        traveller.shift(timedelta(minutes=2))
        assert client.get(url).status_code == 404
        page = client.get(reverse("privacy_my_data")).content.decode()
        assert url not in page


def test_page_shows_status_while_preparing(client, holder):
    client.force_login(holder.user)
    # Without the on-commit callback, the task has not run: the export is still pending.
    export, queued = data_export_request(user=holder.user)
    again, queued_again = data_export_request(user=holder.user)
    assert queued and not queued_again and again.pk == export.pk
    page = client.get(reverse("privacy_my_data"))
    assert page.status_code == 200
    assert "being prepared" in page.content.decode()
    assert page["Cache-Control"] == "private, no-store"


def test_profile_links_to_my_data(client, holder):
    client.force_login(holder.user)
    assert reverse("privacy_my_data") in client.get(reverse("profile_edit")).content.decode()


def test_a_few_exports_an_hour(client, holder, django_capture_on_commit_callbacks):
    client.force_login(holder.user)
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        for _n in range(EXPORTS_PER_HOUR):
            with django_capture_on_commit_callbacks(execute=True):
                client.post(reverse("privacy_export_request"))
        refused = client.post(reverse("privacy_export_request"), follow=True)
        assert "several copies" in refused.content.decode()
        assert DataExport.objects.filter(user=holder.user).count() == EXPORTS_PER_HOUR
        traveller.shift(timedelta(minutes=61))
        with django_capture_on_commit_callbacks(execute=True):
            client.post(reverse("privacy_export_request"))
    assert DataExport.objects.filter(user=holder.user).count() == EXPORTS_PER_HOUR + 1


# The page counts records rather than listing them: its cost does not grow with what is held.
# Measured against itself (a person holding nothing, then one holding everything) after a warm-up
# request, so caches that earlier tests left warm or cold cannot move the figure.
MY_DATA_QUERIES = 10


def test_my_data_page_costs_the_same_whatever_is_held(
    client, holder, django_capture_on_commit_callbacks
):
    client.force_login(UserFactory())
    assert client.get(reverse("privacy_my_data")).status_code == 200  # warm-up (the header's roles)
    with CaptureQueriesContext(connection) as empty:
        assert client.get(reverse("privacy_my_data")).status_code == 200
    client.force_login(holder.user)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("privacy_export_request"))
    assert client.get(reverse("privacy_my_data")).status_code == 200  # warm-up (the header's roles)
    with CaptureQueriesContext(connection) as full:
        assert client.get(reverse("privacy_my_data")).status_code == 200
    shown = [*empty.captured_queries, {"sql": "----"}, *full.captured_queries]
    assert len(full) == len(empty) <= MY_DATA_QUERIES, "\n".join(q["sql"][:150] for q in shown)
