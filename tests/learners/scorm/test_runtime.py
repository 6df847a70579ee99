"""The SCORM runtime endpoints and services: the player's starting values, commits in order,
size and CSRF limits, resume, completion into progress, scores in the activity log, the files
behind the enrolment check, and the learner's export and erasure."""

import json

import pytest
from django.test import Client
from django.urls import reverse

from learners.models import ActivityEvent, Enrolment, LessonProgress, ScormAttempt, Verb
from learners.progress.services import enrolment_create, lesson_complete
from tests import scorm_packages as packages
from tests.factories import UserFactory, make_course, make_scorm_lesson, make_scorm_package


@pytest.fixture
def setup(db, learner):
    tree = make_course(modules=1, lessons_per_module=1)
    package = make_scorm_package(packages.package(version="1.2"))
    lesson = make_scorm_lesson(tree.modules[0], package, title="Budgets in SCORM")
    enrolment, _ = enrolment_create(user=learner, course=tree.course)
    return tree, package, lesson, enrolment


def config_of(response) -> dict:
    html = response.content.decode()
    start = html.index('<script id="scorm-config" type="application/json">') + len(
        '<script id="scorm-config" type="application/json">'
    )
    return json.loads(html[start : html.index("</script>", start)])


def commit(client, lesson, *, sco="item1", attempt=1, sequence=1, cmi=None, session="s1", **extra):
    body = {
        "sco": sco,
        "attempt": attempt,
        "sequence": sequence,
        "session": session,
        "cmi": cmi or {},
    }
    return client.post(
        reverse("learn_scorm_commit", args=[lesson.pk]),
        data=json.dumps(body),
        content_type="application/json",
        **extra,
    )


CMI_SUSPEND_12 = {
    "cmi": {
        "core": {
            "lesson_status": "incomplete",
            "lesson_location": "page-2",
            "exit": "suspend",
            "session_time": "00:01:30",
        },
        "suspend_data": "seen=1,2",
    }
}
CMI_PASSED_12 = {
    "cmi": {
        "core": {
            "lesson_status": "passed",
            "score": {"raw": "85", "min": "0", "max": "100"},
            "exit": "",
            "session_time": "00:02:00",
        },
        "interactions": {"childArray": [{"id": "q1", "result": "correct"}]},
    }
}


def test_player_starts_a_first_attempt(setup, learner_client, learner):
    _, package, lesson, _ = setup
    response = learner_client.get(lesson.url)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'sandbox="allow-scripts allow-same-origin allow-forms"' in html
    assert "vendor/scorm-again/scorm-again.min.js" in html
    assert "Mark as complete" not in html
    config = config_of(response)
    assert config["version"] == "1.2"
    assert config["attempt"] == 1 and config["sequence"] == 0
    assert config["cmi"]["core"]["student_name"] == learner.full_name
    assert config["cmi"]["core"]["entry"] == "ab-initio"
    assert config["launchUrl"] == reverse(
        "learn_scorm_content", args=[lesson.pk, "sco1/index.html"]
    )
    assert config["commitUrl"] == reverse("learn_scorm_commit", args=[lesson.pk])


def test_commit_stores_and_resumes(setup, learner_client):
    _, _, lesson, enrolment = setup
    response = commit(learner_client, lesson, cmi=CMI_SUSPEND_12)
    assert response.status_code == 200
    assert response.json() == {"result": True, "errorCode": 0, "sequence": 1, "completed": False}
    row = ScormAttempt.objects.get()
    assert (row.enrolment, row.location, row.suspend_data) == (enrolment, "page-2", "seen=1,2")
    assert row.total_seconds == 90
    config = config_of(learner_client.get(lesson.url))
    assert config["attempt"] == 1 and config["sequence"] == 1
    core = config["cmi"]["core"]
    assert core["entry"] == "resume"
    assert core["lesson_location"] == "page-2"
    assert core["total_time"] == "0000:01:30"
    assert config["cmi"]["suspend_data"] == "seen=1,2"


def test_stale_commits_are_refused(setup, learner_client):
    _, _, lesson, _ = setup
    assert commit(learner_client, lesson, sequence=3, cmi=CMI_SUSPEND_12).status_code == 200
    for sequence in (3, 2):
        response = commit(learner_client, lesson, sequence=sequence, cmi=CMI_PASSED_12)
        assert response.status_code == 409
        assert response.json()["result"] is False
    assert commit(learner_client, lesson, attempt=2, sequence=9).status_code == 409
    row = ScormAttempt.objects.get()
    assert row.sequence == 3 and row.lesson_status == "incomplete"


def test_session_time_accumulates_across_sessions(setup, learner_client):
    _, _, lesson, _ = setup
    commit(learner_client, lesson, sequence=1, session="a", cmi=CMI_SUSPEND_12)
    commit(learner_client, lesson, sequence=2, session="a", cmi=CMI_SUSPEND_12)
    commit(learner_client, lesson, sequence=3, session="b", cmi=CMI_SUSPEND_12)
    assert ScormAttempt.objects.get().total_seconds == 180


def test_completion_and_score_feed_progress(setup, learner_client, learner):
    tree, _, lesson, enrolment = setup
    lesson_complete(user=learner, enrolment=enrolment, lesson=tree.lessons[0])
    assert commit(learner_client, lesson, cmi=CMI_SUSPEND_12).status_code == 200
    response = commit(learner_client, lesson, sequence=2, cmi=CMI_PASSED_12)
    assert response.json()["completed"] is True
    assert LessonProgress.objects.get(enrolment=enrolment, lesson=lesson).completed_at
    enrolment.refresh_from_db()
    assert enrolment.completed_at is not None  # both lessons done: the course completes
    passed = ActivityEvent.objects.get(verb=Verb.PASSED, object_id=lesson.pk)
    assert passed.result_score == 85 and passed.result_success is True
    assert passed.result_duration.total_seconds() == 120
    assert ActivityEvent.objects.filter(verb=Verb.ATTEMPTED, object_id=lesson.pk).count() == 1
    assert ActivityEvent.objects.filter(
        verb=Verb.COMPLETED, object_type="lesson", object_id=lesson.pk
    ).exists()
    row = ScormAttempt.objects.get()
    assert row.interaction_count == 1 and row.score_percent == 85
    page = learner_client.get(lesson.url).content.decode()
    assert "Your score: 85 %" in page
    assert "You have completed this lesson." in page
    # Completed and not suspended: the next visit starts attempt 2, from the beginning.
    config = config_of(learner_client.get(lesson.url))
    assert config["attempt"] == 2 and config["sequence"] == 0
    assert config["cmi"]["core"]["entry"] == "ab-initio"
    assert commit(learner_client, lesson, attempt=2, sequence=1).status_code == 200
    assert ScormAttempt.objects.count() == 2


def test_a_failed_attempt_does_not_complete_the_lesson(setup, learner_client):
    _, _, lesson, enrolment = setup
    failed = {"core": {"lesson_status": "failed", "score": {"raw": "40"}}}
    assert commit(learner_client, lesson, cmi=failed).status_code == 200
    assert not LessonProgress.objects.filter(
        enrolment=enrolment, lesson=lesson, completed_at__isnull=False
    ).exists()
    assert ActivityEvent.objects.get(verb=Verb.FAILED).result_score == 40


def test_scorm_2004_commit(db, learner, learner_client):
    tree = make_course(modules=1, lessons_per_module=0)
    lesson = make_scorm_lesson(
        tree.modules[0], make_scorm_package(packages.package(version="2004", edition=3))
    )
    enrolment, _ = enrolment_create(user=learner, course=tree.course)
    config = config_of(learner_client.get(lesson.url))
    assert config["version"] == "2004-3"
    assert config["cmi"]["learner_name"] == learner.full_name
    cmi = {
        "cmi": {
            "completion_status": "completed",
            "success_status": "passed",
            "score": {"scaled": "0.9"},
            "session_time": "PT2M",
            "exit": "normal",
        }
    }
    assert commit(learner_client, lesson, cmi=cmi).json()["completed"] is True
    enrolment.refresh_from_db()
    assert enrolment.completed_at is not None
    assert ScormAttempt.objects.get().score_percent == 90


def test_multi_sco_lesson_completes_when_every_sco_does(db, learner, learner_client):
    tree = make_course(modules=1, lessons_per_module=0)
    lesson = make_scorm_lesson(
        tree.modules[0], make_scorm_package(packages.package(version="2004", scos=2))
    )
    enrolment, _ = enrolment_create(user=learner, course=tree.course)
    page = learner_client.get(lesson.url).content.decode()
    assert 'aria-label="Contents of this activity"' in page
    assert f"{lesson.url}?sco=item2" in page
    done = {"completion_status": "completed", "success_status": "unknown"}
    assert commit(learner_client, lesson, sco="item1", cmi=done).json()["completed"] is True
    assert not LessonProgress.objects.filter(completed_at__isnull=False).exists()
    config = config_of(learner_client.get(f"{lesson.url}?sco=item2"))
    assert config["sco"] == "item2"
    assert config["launchUrl"].endswith("/sco2/index.html")
    assert commit(learner_client, lesson, sco="item2", cmi=done).status_code == 200
    assert LessonProgress.objects.get(enrolment=enrolment, lesson=lesson).completed_at


def test_commit_limits_and_bad_input(setup, learner_client, settings):
    _, _, lesson, _ = setup
    url = reverse("learn_scorm_commit", args=[lesson.pk])
    big = json.dumps({"sco": "item1", "attempt": 1, "sequence": 1, "cmi": {"x": "a" * 300_000}})
    assert learner_client.post(url, big, content_type="application/json").status_code == 413
    assert learner_client.post(url, "{not json", content_type="application/json").status_code == 400
    assert learner_client.post(url, "[1]", content_type="application/json").status_code == 400
    assert commit(learner_client, lesson, sco="nope").status_code == 400
    assert commit(learner_client, lesson, sequence=0).status_code == 400
    assert commit(learner_client, lesson, attempt=True).status_code == 400
    assert learner_client.get(url).status_code == 405
    assert not ScormAttempt.objects.exists()


def test_commit_requires_csrf(setup, learner):
    _, _, lesson, _ = setup
    client = Client(enforce_csrf_checks=True)
    client.force_login(learner)
    assert commit(client, lesson).status_code == 403
    page = client.get(lesson.url)
    token = config_of(page)["csrfToken"]
    assert commit(client, lesson, HTTP_X_CSRFTOKEN=token).status_code == 200


def test_who_may_commit(setup, client, other_learner):
    _, _, lesson, _ = setup
    assert commit(client, lesson).status_code == 403  # anonymous: a JSON answer, not a login page
    client.force_login(other_learner)
    assert commit(client, lesson).status_code == 404  # not enrolled
    url = reverse("learn_scorm_commit", args=[999_999])
    assert client.post(url, "{}", content_type="application/json").status_code == 404
    assert not ScormAttempt.objects.exists()


def test_package_files_behind_the_enrolment_check(setup, client, learner, other_learner):
    _, package, lesson, _ = setup
    url = reverse("learn_scorm_content", args=[lesson.pk, "sco1/index.html"])
    assert client.get(url).status_code == 404
    client.force_login(other_learner)
    assert client.get(url).status_code == 404
    client.force_login(learner)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert b"LMSInitialize" not in b"".join(response.streaming_content)  # the page, not the JS
    policy = response["Content-Security-Policy"]
    assert "frame-ancestors 'self'" in policy and "'unsafe-inline'" in policy
    assert "object-src 'none'" in policy
    assert response["X-Frame-Options"] == "SAMEORIGIN"
    script = client.get(reverse("learn_scorm_content", args=[lesson.pk, "shared/sco.js"]))
    assert b"LMSInitialize" in b"".join(script.streaming_content)
    for missing in ("sco1/missing.html", "../../etc/passwd", "imsmanifest.xml/x"):
        assert client.get(f"/en/learn/scorm/{lesson.pk}/content/{missing}").status_code == 404


def test_page_of_a_lesson_keeps_its_own_policy(setup, learner_client):
    _, _, lesson, _ = setup
    policy = learner_client.get(lesson.url)["Content-Security-Policy"]
    assert "'unsafe-inline'" not in policy.split("script-src")[1].split(";")[0]


def test_trainer_preview_plays_without_recording(setup, client):
    _, _, lesson, _ = setup
    admin = UserFactory(is_superuser=True)
    client.force_login(admin)
    url = reverse("learn_scorm_content", args=[lesson.pk, "sco1/index.html"])
    assert client.get(url).status_code == 200
    config = config_of(client.get(lesson.url))
    assert config["commitUrl"] == ""


def test_not_enrolled_learner_gets_the_enrol_prompt(setup, client, other_learner):
    _, _, lesson, _ = setup
    client.force_login(other_learner)
    assert client.get(lesson.url).status_code == 403


def test_mark_as_complete_is_refused_for_a_scorm_lesson(setup, learner_client):
    _, _, lesson, enrolment = setup
    learner_client.post(reverse("learn_complete_lesson", args=[lesson.pk]))
    assert not LessonProgress.objects.filter(completed_at__isnull=False).exists()


def test_export_erase_and_purge(setup, learner_client, learner):
    from datetime import timedelta

    from django.utils import timezone

    from learners.privacy.exports import personal_data_files
    from learners.scorm.selectors import scorm_export
    from learners.scorm.services import scorm_erase, scorm_purge

    _, _, lesson, _ = setup
    commit(learner_client, lesson, cmi=CMI_SUSPEND_12)
    [(name, content, _)] = scorm_export(learner)
    assert name == "scorm_attempts.json"
    [row] = json.loads(content)
    assert "scorm_attempts.json" in {f.name for f in personal_data_files(learner)}
    assert row["suspend_data"] == "seen=1,2" and row["lesson"] == "Budgets in SCORM"
    assert scorm_purge(before=timezone.now() - timedelta(days=1)) == 0
    assert scorm_purge(before=timezone.now() + timedelta(days=1)) == 1
    commit(learner_client, lesson, sequence=2, cmi=CMI_SUSPEND_12)
    scorm_erase(user=learner)
    attempt = ScormAttempt.objects.get()
    assert (attempt.cmi, attempt.suspend_data, attempt.location) == ({}, "", "")
    assert attempt.lesson_status == "incomplete"
    assert Enrolment.objects.filter(user=learner).exists()


def test_a_retry_that_passes_is_logged_and_completes(setup, learner_client):
    _, _, lesson, enrolment = setup
    failed = {"core": {"lesson_status": "failed", "score": {"raw": "33"}, "exit": "suspend"}}
    passed = {"core": {"lesson_status": "passed", "score": {"raw": "100"}}}
    commit(learner_client, lesson, sequence=1, cmi=failed)
    commit(learner_client, lesson, sequence=2, cmi=failed)
    commit(learner_client, lesson, sequence=3, cmi=passed)
    verbs = list(
        ActivityEvent.objects.filter(verb__in=[Verb.PASSED, Verb.FAILED])
        .order_by("id")
        .values_list("verb", "result_score")
    )
    assert verbs == [(Verb.FAILED, 33), (Verb.PASSED, 100)]
    assert LessonProgress.objects.get(enrolment=enrolment, lesson=lesson).completed_at


def test_multi_sco_player_knows_where_navigation_requests_lead(db, learner, learner_client):
    tree = make_course(modules=1, lessons_per_module=0)
    lesson = make_scorm_lesson(
        tree.modules[0], make_scorm_package(packages.package(version="2004", scos=3))
    )
    enrolment_create(user=learner, course=tree.course)
    first = config_of(learner_client.get(lesson.url))["navigation"]
    assert first["next"] == f"{lesson.url}?sco=item2" and first["previous"] == ""
    assert set(first["choice"]) == {"item1", "item2", "item3"}
    last = config_of(learner_client.get(f"{lesson.url}?sco=item3"))["navigation"]
    assert last["next"] == "" and last["previous"] == f"{lesson.url}?sco=item2"
    single = make_scorm_lesson(
        tree.modules[0], make_scorm_package(packages.package()), slug="single"
    )
    assert "navigation" not in config_of(learner_client.get(single.url))


def test_a_beacon_commit_carries_its_csrf_token_in_the_body(setup, learner):
    """The runtime's last commit (navigator.sendBeacon, text/plain, no header) is accepted with
    the page's token in its JSON body, and refused without it or with another token."""
    _, _, lesson, _ = setup
    client = Client(enforce_csrf_checks=True)
    client.force_login(learner)
    token = config_of(client.get(lesson.url))["csrfToken"]
    url = reverse("learn_scorm_commit", args=[lesson.pk])

    def beacon(sequence, csrf):
        body = {"sco": "item1", "attempt": 1, "sequence": sequence, "session": "s", "cmi": {}}
        if csrf is not None:
            body["csrfToken"] = csrf
        return client.post(url, data=json.dumps(body), content_type="text/plain;charset=UTF-8")

    assert beacon(1, None).status_code == 403
    assert beacon(1, "x" * 64).status_code == 403
    assert not ScormAttempt.objects.exists()
    assert beacon(1, token).status_code == 200
    assert ScormAttempt.objects.get().sequence == 1
