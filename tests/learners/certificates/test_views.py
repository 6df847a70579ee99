from datetime import timedelta
from decimal import Decimal
from unittest import mock

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from learners.certificates.services import certificate_reissue, certificate_revoke
from learners.models import (
    Certificate,
    CertificateAuditEntry,
    CertificateReminder,
    Enrolment,
    RevocationReason,
)
from tests.factories import UserFactory, complete_course, make_course

pytestmark = pytest.mark.django_db


@pytest.fixture
def certificate(learner, course_tree, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        enrolment = complete_course(learner, course_tree)
    return Certificate.objects.get(enrolment=enrolment)


@pytest.fixture
def admin_user(db):
    return UserFactory(is_superuser=True, is_staff=True)


# --- Public verification -------------------------------------------------------------------
def test_verify_valid_anonymous(client, certificate):
    response = client.get(certificate.get_verify_url())
    assert response.status_code == 200
    body = response.content.decode()
    assert "This certificate is genuine and valid." in body
    assert certificate.holder_name in body and certificate.course_title in body
    assert certificate.display_code in body
    assert certificate.user.email not in body  # no personal data beyond the certificate


def test_verify_accepts_typed_forms_and_redirects_to_canonical(client, certificate):
    sloppy = certificate.display_code.lower().replace("-", "")
    response = client.get(reverse("certificate_verify", args=[sloppy]))
    assert response.status_code == 302 and response.url == certificate.get_verify_url()
    response = client.get(reverse("certificate_verify_form"), {"code": f" {sloppy} "})
    assert response.status_code == 302 and response.url == certificate.get_verify_url()


def test_verify_expired(client, certificate):
    Certificate.objects.filter(pk=certificate.pk).update(
        expires_on=timezone.localdate() - timedelta(days=1)
    )
    body = client.get(certificate.get_verify_url()).content.decode()
    assert "validity period has ended" in body


def test_verify_revoked_shows_the_reason_only_if_the_holder_opted_in(
    client, certificate, admin_user
):
    certificate_revoke(
        certificate=certificate,
        actor=admin_user,
        reason=RevocationReason.MISCONDUCT,
        note="Internal note about the case",
    )
    body = client.get(certificate.get_verify_url()).content.decode()
    assert "has been revoked" in body
    assert "Academic misconduct" not in body and "Internal note" not in body
    Certificate.objects.filter(pk=certificate.pk).update(public_details=True)
    body = client.get(certificate.get_verify_url()).content.decode()
    assert "Academic misconduct" in body  # the category, never the note
    assert "Internal note" not in body


def test_verify_superseded_links_to_the_replacement(client, certificate, admin_user):
    new = certificate_reissue(certificate=certificate, actor=admin_user, note="Name corrected")
    body = client.get(certificate.get_verify_url()).content.decode()
    assert "replaced by a corrected one" in body
    assert f'href="{new.get_verify_url()}"' in body
    assert (
        "This certificate is genuine and valid."
        in client.get(new.get_verify_url()).content.decode()
    )


def test_verify_shows_the_score_only_if_the_holder_opted_in(client, certificate):
    Certificate.objects.filter(pk=certificate.pk).update(final_score=87.5)
    body = client.get(certificate.get_verify_url()).content.decode()
    assert "87.5" not in body and "Final assessment" not in body
    for shown in ("Holder", "Course", "Completed on", "Issued on", "Valid until"):
        assert shown in body
    Certificate.objects.filter(pk=certificate.pk).update(public_details=True)
    body = client.get(certificate.get_verify_url()).content.decode()
    assert "Final assessment" in body and "87.5\u00a0%" in body


def test_holder_opts_in_and_out_from_the_certificate_list(client, certificate, learner):
    client.force_login(learner)
    page = client.get(reverse("learn_dashboard")).content.decode()
    url = reverse("certificate_public_details", args=[certificate.display_code])
    assert f'action="{url}"' in page
    response = client.post(url, {"public_details": "on", "next": "/en/learn/transcript/"})
    assert response.status_code == 302 and response.url == "/en/learn/transcript/"
    certificate.refresh_from_db()
    assert certificate.public_details
    response = client.post(url, {"next": "https://evil.example/"})
    assert response.url == reverse("learn_dashboard")  # no open redirect
    certificate.refresh_from_db()
    assert not certificate.public_details


def test_only_the_holder_may_publish_details(client, certificate, other_learner, admin_user):
    url = reverse("certificate_public_details", args=[certificate.display_code])
    assert client.post(url, {"public_details": "on"}).status_code == 302  # to the login
    for someone in (other_learner, admin_user):
        client.force_login(someone)
        assert client.post(url, {"public_details": "on"}).status_code == 404
    assert client.get(url).status_code == 405
    certificate.refresh_from_db()
    assert not certificate.public_details


def test_reissue_keeps_the_holders_choice(certificate, admin_user):
    Certificate.objects.filter(pk=certificate.pk).update(public_details=True)
    certificate.refresh_from_db()
    new = certificate_reissue(certificate=certificate, actor=admin_user, note="Name corrected")
    assert new.public_details


@pytest.mark.parametrize(
    "code",
    ["0000-0000-0000-0000-0000-0000-0000", "too-short", "<script>alert(1)", "ü" * 30],
)
def test_verify_unknown_codes_get_the_same_page(client, certificate, code):
    response = client.get(reverse("certificate_verify", args=[code]))
    assert response.status_code == 404
    assert "No certificate with this code" in response.content.decode()
    response = client.get(reverse("certificate_verify_form"), {"code": code})
    assert response.status_code in (302, 404)
    if response.status_code == 302:
        response = client.get(response.url)
    assert response.status_code == 404
    assert "No certificate with this code" in response.content.decode()


def test_verify_form_renders(client, db):
    response = client.get(reverse("certificate_verify_form"))
    assert response.status_code == 200
    assert 'name="code"' in response.content.decode()
    assert (
        reverse("certificate_verify_form") in client.get("/en/learn/", follow=True).content.decode()
    )


def test_verify_is_rate_limited_per_ip(client, certificate, settings):
    with mock.patch("learners.certificates.views.VERIFY_LIMIT", 3):
        for _ in range(3):
            assert client.get(certificate.get_verify_url()).status_code == 200
        response = client.get(certificate.get_verify_url())
        assert response.status_code == 429
        assert "Too many requests" in response.content.decode()
        # Another address is not affected.
        other = client.get(certificate.get_verify_url(), REMOTE_ADDR="10.0.0.9")
        assert other.status_code == 200


def test_verify_query_count_is_constant(client, certificate, django_assert_max_num_queries):
    # The certificate, its course's language, and its Open Badges credential
    # (learners/templatetags/credentials.py); the site header's catalogue link in the page's
    # language (the catalogue, its locale, the sites and their root paths, its translations).
    # None of these grows with the number of certificates.
    with django_assert_max_num_queries(8):
        client.get(certificate.get_verify_url())


# --- PDF download ------------------------------------------------------------------------------
def test_holder_downloads_pdf(client, certificate, learner):
    client.force_login(learner)
    response = client.get(certificate.get_pdf_url())
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    certificate.refresh_from_db()
    with certificate.pdfs.get().file.open("rb") as handle:
        assert b"".join(response.streaming_content) == handle.read()


def test_pdf_refused_to_others(client, certificate, other_learner):
    assert client.get(certificate.get_pdf_url()).status_code == 404  # anonymous
    client.force_login(other_learner)
    assert client.get(certificate.get_pdf_url()).status_code == 404
    client.force_login(UserFactory())  # e.g. an HR officer of another organisation
    assert client.get(certificate.get_pdf_url()).status_code == 404


def test_pdf_hr_officer_in_scope_and_superuser(client, certificate, admin_user):
    hr = UserFactory()
    with mock.patch(
        "learners.certificates.selectors.user_in_hr_scope",
        side_effect=lambda viewer, person: viewer.pk == hr.pk and person.pk == certificate.user_id,
    ):
        client.force_login(hr)
        assert client.get(certificate.get_pdf_url()).status_code == 200
        other_hr = UserFactory()
        client.force_login(other_hr)
        assert client.get(certificate.get_pdf_url()).status_code == 404
    client.force_login(admin_user)
    assert client.get(certificate.get_pdf_url()).status_code == 200


def test_pdf_rendered_on_demand_when_missing(client, learner, certificate):
    certificate.pdfs.all().delete()
    client.force_login(learner)
    response = client.get(certificate.get_pdf_url())
    assert response.status_code == 200
    assert certificate.pdfs.filter(language="en").exists()


def test_unknown_code_pdf_404(learner_client):
    assert learner_client.get("/en/learn/certificates/NOPE/pdf").status_code == 404


# --- Dashboard and transcript ------------------------------------------------------------------
def test_dashboard_and_transcript_list_certificates(learner_client, certificate):
    for url in ("/en/learn/", "/en/learn/transcript/"):
        body = learner_client.get(url).content.decode()
        assert certificate.get_pdf_url() in body
        assert certificate.get_verify_url() in body
        assert "Copy verification link" in body


def test_dashboard_queries_constant(
    settings, learner, django_capture_on_commit_callbacks, client, django_assert_max_num_queries
):
    # The render path (a repeated request would be a hit of the learner page cache).
    settings.LEARNER_PAGE_CACHE = False
    client.force_login(learner)

    def count_for(n):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/en/learn/").status_code == 200
        return len(ctx.captured_queries)

    tree = make_course(modules=1, lessons_per_module=1)
    with django_capture_on_commit_callbacks(execute=True):
        complete_course(learner, tree)
    count_for(1)  # warm caches (site root paths) before measuring
    one = count_for(1)
    for _ in range(3):
        tree = make_course(modules=1, lessons_per_module=1)
        with django_capture_on_commit_callbacks(execute=True):
            complete_course(learner, tree)
    count_for(4)  # the new courses' outlines are cached on first sight
    assert count_for(4) == one
    with django_assert_max_num_queries(one):
        client.get("/en/learn/transcript/")


def test_retake_offered_for_expired_certificate(learner_client, learner, certificate, course_tree):
    assert "Retake the course" not in learner_client.get("/en/learn/").content.decode()
    url = reverse("learn_retake", args=[course_tree.course.pk])
    assert learner_client.post(url).status_code == 404  # no expiry: nothing to renew
    # Saved, not a bare QuerySet.update(): the save makes the cached /learn/ page stale.
    certificate.expires_on = timezone.localdate() - timedelta(days=3)
    certificate.save(update_fields=["expires_on"])
    body = learner_client.get("/en/learn/").content.decode()
    assert "Retake the course" in body and "Expired" in body
    response = learner_client.post(url)
    assert response.status_code == 302
    assert Enrolment.objects.filter(user=learner).count() == 2
    current = Enrolment.objects.get(user=learner, archived_at__isnull=True)
    assert current.cycle == 2 and current.completed_at is None
    # The old certificate stays on record; retaking again is not offered mid-cycle.
    body = learner_client.get("/en/learn/").content.decode()
    assert certificate.get_verify_url() in body and "Retake the course" not in body
    assert learner_client.post(url).status_code == 404


def test_retake_requires_post_and_login(client, course_tree):
    url = reverse("learn_retake", args=[course_tree.course.pk])
    assert client.post(url).status_code == 302  # to login
    UserFactory()


# --- Admin -------------------------------------------------------------------------------------
def test_admin_pages_only_for_superusers(client, certificate, admin_user):
    index = reverse("certificate_admin_index")
    detail = reverse("certificate_admin_detail", args=[certificate.pk])
    staff = UserFactory(is_staff=True)
    from django.contrib.auth.models import Permission

    staff.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(staff)
    assert client.get(index).status_code == 404
    assert client.get(detail).status_code == 404
    assert client.post(detail, {"action": "revoke", "revoke-reason": "other"}).status_code == 404
    client.force_login(admin_user)
    assert certificate.holder_name in client.get(index).content.decode()
    assert client.get(index, {"q": certificate.display_code.lower()}).status_code == 200
    assert client.get(detail).status_code == 200


def test_admin_revoke_and_reissue(client, certificate, admin_user):
    client.force_login(admin_user)
    detail = reverse("certificate_admin_detail", args=[certificate.pk])
    response = client.post(
        detail,
        {"action": "reissue", "reissue-holder_name": "Lea M. Learner", "reissue-note": "Typo"},
    )
    new = Certificate.objects.get(superseded_at__isnull=True)
    assert response.status_code == 302 and new.holder_name == "Lea M. Learner"
    response = client.post(
        reverse("certificate_admin_detail", args=[new.pk]),
        {"action": "revoke", "revoke-reason": "issued_in_error", "revoke-note": "Wrong person"},
    )
    new.refresh_from_db()
    assert new.revoked_at and new.revocation_reason == "issued_in_error"
    actions = list(CertificateAuditEntry.objects.order_by("id").values_list("action", flat=True))
    assert actions == ["issued", "reissued", "revoked"]
    # Refusals change nothing and give a message, not a 500.
    response = client.post(
        reverse("certificate_admin_detail", args=[new.pk]),
        {"action": "revoke", "revoke-reason": "other"},
    )
    assert response.status_code == 302
    assert CertificateAuditEntry.objects.count() == 3
    response = client.post(
        reverse("certificate_admin_detail", args=[new.pk]),
        {"action": "reissue", "reissue-holder_name": "", "reissue-note": ""},
    )
    assert response.status_code == 200  # form errors shown


# --- Reminders ---------------------------------------------------------------------------------
def test_reminders_sent_once_per_threshold(certificate):
    today = timezone.localdate()
    Certificate.objects.filter(pk=certificate.pk).update(expires_on=today + timedelta(days=60))
    call_command("send_certificate_reminders")
    call_command("send_certificate_reminders")
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [certificate.user.email]
    assert certificate.get_verify_url() in mail.outbox[0].body
    # 53 days later the 7-day reminder goes, once.
    import time_machine

    with time_machine.travel(timezone.now() + timedelta(days=53), tick=False):
        call_command("send_certificate_reminders")
        call_command("send_certificate_reminders")
    assert len(mail.outbox) == 2
    assert set(CertificateReminder.objects.values_list("days_before", flat=True)) == {60, 7}


def test_no_reminders_for_revoked_or_far_certificates(certificate, admin_user):
    today = timezone.localdate()
    Certificate.objects.filter(pk=certificate.pk).update(expires_on=today + timedelta(days=90))
    call_command("send_certificate_reminders")
    assert not mail.outbox
    Certificate.objects.filter(pk=certificate.pk).update(expires_on=today + timedelta(days=5))
    certificate_revoke(certificate=certificate, actor=admin_user, reason=RevocationReason.OTHER)
    call_command("send_certificate_reminders")
    assert not mail.outbox


def test_no_reminder_after_recertification(certificate, learner, course_tree):
    from learners.certificates.services import certificate_issue
    from learners.progress.services import enrolment_renew

    today = timezone.localdate()
    Certificate.objects.filter(pk=certificate.pk).update(expires_on=today + timedelta(days=6))
    enrolment = enrolment_renew(user=learner, course=course_tree.course)
    Enrolment.objects.filter(pk=enrolment.pk).update(completed_at=timezone.now())
    enrolment.refresh_from_db()
    certificate_issue(enrolment=enrolment)
    call_command("send_certificate_reminders")
    assert not mail.outbox


def test_pdf_file_name_does_not_reveal_the_code(certificate):
    certificate.refresh_from_db()
    assert certificate.code not in certificate.pdfs.get().file.name
    assert certificate.pdfs.get().file.name.startswith("certificates/")


def test_admin_menu_item_only_for_superusers(client, admin_user):
    from django.contrib.auth.models import Permission

    staff = UserFactory(is_staff=True)
    staff.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(staff)
    assert reverse("certificate_admin_index") not in client.get("/admin/").content.decode()
    client.force_login(admin_user)
    assert reverse("certificate_admin_index") in client.get("/admin/").content.decode()


def test_course_page_shows_certificate_and_retake(learner_client, certificate, course_tree):
    body = learner_client.get(course_tree.course.url).content.decode()
    assert "Your certificate" in body and certificate.get_pdf_url() in body
    assert "Retake the course" not in body
    # Saved (as the admin and the services do), not a bare QuerySet.update(): the save is what
    # makes the learner's cached course page stale (learners/progress/page_cache.py).
    certificate.expires_on = timezone.localdate() + timedelta(days=20)
    certificate.save(update_fields=["expires_on"])
    body = learner_client.get(course_tree.course.url).content.decode()
    assert "Retake the course" in body


def test_learn_and_transcript_show_the_final_assessment_score(client, learner, certificate):
    client.force_login(learner)
    assert "Final assessment:" not in client.get("/en/learn/").content.decode()  # no assessment
    certificate.final_score = Decimal("87.50")  # saved: the cached /learn/ page goes stale
    certificate.save(update_fields=["final_score"])
    for url in ("/en/learn/", "/en/learn/transcript/"):
        assert "Final assessment: 87.5\u00a0%" in client.get(url).content.decode(), url
