"""prepare_load_journey: the learners and sessions benchmarks/load.py drives are real."""

import json

import pytest
from django.core.management import CommandError, call_command

from learners.models import Certificate, Enrolment


@pytest.mark.django_db
def test_learners_are_enrolled_logged_in_and_hold_a_certificate_pdf(client, tmp_path):
    output = tmp_path / "plan.json"
    call_command("prepare_load_journey", learners=2, output=str(output))
    plan = json.loads(output.read_text())

    assert len(plan["learners"]) == 2
    assert len(plan["lessons"]) == 8
    journey = Enrolment.objects.filter(course__slug="load-journey")
    assert journey.count() == 2
    assert Certificate.objects.filter(pdfs__isnull=False).distinct().count() == 2

    person = plan["learners"][0]
    client.cookies[plan["session_cookie"]] = person["session"]
    assert client.get("/en/learn/").status_code == 200
    assert client.get(plan["lessons"][0]["url"]).status_code == 200
    response = client.get(f"/en/learn/certificates/{person['certificate']}/pdf")
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")


@pytest.mark.django_db
def test_running_again_reuses_learners_and_courses(tmp_path):
    output = tmp_path / "plan.json"
    call_command("prepare_load_journey", learners=2, output=str(output))
    first = json.loads(output.read_text())
    call_command("prepare_load_journey", learners=3, output=str(output))
    second = json.loads(output.read_text())
    assert second["course_url"] == first["course_url"]
    assert [p["email"] for p in second["learners"][:2]] == [p["email"] for p in first["learners"]]
    assert Enrolment.objects.filter(course__slug="load-journey").count() == 3
    assert Certificate.objects.count() == 3


def test_production_settings_need_the_explicit_flag(settings, tmp_path):
    settings.SETTINGS_MODULE = "cms.settings.production"
    with pytest.raises(CommandError, match="allow-production-settings"):
        call_command("prepare_load_journey", learners=1, output=str(tmp_path / "plan.json"))


@pytest.mark.django_db
def test_a_pdf_missing_from_storage_is_rendered_again(tmp_path):
    output = tmp_path / "plan.json"
    call_command("prepare_load_journey", learners=1, output=str(output))
    certificate = Certificate.objects.get()
    stored = certificate.pdfs.get().file
    stored.storage.delete(stored.name)
    call_command("prepare_load_journey", learners=1, output=str(output))
    stored = certificate.pdfs.get().file
    assert stored.storage.exists(stored.name)
