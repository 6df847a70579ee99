"""Content-Security-Policy, Permissions-Policy and Cache-Control on every kind of answer."""

import os
import re
import runpy
from pathlib import Path
from unittest import mock

import pytest
from django.conf import settings
from django.urls import reverse

from tests.factories import HROfficerRoleFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


def _directives(header: str) -> dict[str, list[str]]:
    parts = [p.strip().split() for p in header.split(";") if p.strip()]
    return {p[0]: p[1:] for p in parts}


def _cache_control(response) -> set[str]:
    return {d.strip() for d in response.get("Cache-Control", "").split(",") if d.strip()}


def test_public_pages_get_a_strict_nonce_policy(client):
    response = client.get("/en/certificates/verify/")
    csp = _directives(response["Content-Security-Policy"])
    assert csp["default-src"] == ["'self'"]
    assert csp["script-src"] == ["'self'"]  # no page of this one runs an inline script
    for directive in ("script-src", "style-src"):
        assert "'unsafe-inline'" not in csp[directive]
        assert "'unsafe-eval'" not in csp[directive]
    assert csp["object-src"] == ["'none'"]
    assert csp["frame-ancestors"] == ["'self'"]
    assert "https://www.youtube-nocookie.com" in csp["frame-src"]
    assert "Content-Security-Policy-Report-Only" not in response


def _render_with_inline_script(rf):
    from django.http import HttpResponse
    from django.template import RequestContext, Template

    from cms.middleware import ContentSecurityPolicyMiddleware

    def view(request):
        template = Template('<script nonce="{{ CSP_NONCE }}">go()</script>')
        return HttpResponse(template.render(RequestContext(request)))

    return ContentSecurityPolicyMiddleware(view)(rf.get("/somewhere/"))


def test_an_inline_script_runs_only_with_the_nonce_of_its_response(rf):
    """A template that needs an inline script writes nonce="{{ CSP_NONCE }}" (the context
    processor); the policy then allows that nonce, and a new one on every response."""
    first, second = _render_with_inline_script(rf), _render_with_inline_script(rf)
    nonce = re.search(r'nonce="([^"]+)"', first.content.decode()).group(1)
    assert f"'nonce-{nonce}'" in _directives(first["Content-Security-Policy"])["script-src"]
    assert f"'nonce-{nonce}'" not in second["Content-Security-Policy"]


def test_site_templates_have_no_inline_script_or_style_without_nonce():
    """What the strict policy would block: inline <script>/<style>, style= and on…= handlers."""
    offenders = []
    for path in Path(settings.BASE_DIR, "templates").rglob("*.html"):
        text = path.read_text()
        for match in re.finditer(r"<script(?![^>]*\bsrc=)[^>]*>|<style[^>]*>", text):
            if "CSP_NONCE" not in match.group(0):
                offenders.append(f"{path}: {match.group(0)}")
        if re.search(r"\sstyle=\"|\son[a-z]+=\"", text):
            offenders.append(f"{path}: inline style or event handler")
    assert offenders == []


def test_admin_gets_the_deliberately_looser_policy(client):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    response = client.get("/admin/")
    assert response.status_code == 200
    csp = _directives(response["Content-Security-Policy"])
    assert "'unsafe-inline'" in csp["script-src"] and "'unsafe-inline'" in csp["style-src"]
    assert "'unsafe-eval'" not in csp["script-src"]
    assert csp["object-src"] == ["'none'"] and csp["frame-ancestors"] == ["'self'"]


def test_refusals_carry_the_headers_too(client):
    response = client.get("/en/search/?q=%00")
    assert response.status_code == 400
    assert "Content-Security-Policy" in response and "Permissions-Policy" in response


def test_permissions_policy(client):
    header = client.get("/en/certificates/verify/")["Permissions-Policy"]
    features = dict(item.strip().split("=", 1) for item in header.split(","))
    for denied in ("camera", "microphone", "geolocation", "payment", "usb"):
        assert features[denied] == "()"
    assert features["clipboard-write"] == "(self)"
    assert "https://player.vimeo.com" in features["fullscreen"]


def test_report_only_is_switched_by_the_environment():
    base = Path(settings.BASE_DIR, "cms", "settings", "base.py")
    with mock.patch.dict(os.environ, {"CSP_REPORT_ONLY": "true", "CSP_REPORT_URI": "/csp/"}):
        values = runpy.run_path(str(base))
    assert values["CONTENT_SECURITY_POLICY"] is None
    directives = values["CONTENT_SECURITY_POLICY_REPORT_ONLY"]["DIRECTIVES"]
    assert directives["report-uri"] == ["/csp/"]
    with mock.patch.dict(os.environ, {"CSP_REPORT_ONLY": ""}):
        values = runpy.run_path(str(base))
    assert values["CONTENT_SECURITY_POLICY_REPORT_ONLY"] is None


def test_report_only_header(client, settings):
    policy = settings.CONTENT_SECURITY_POLICY
    settings.CONTENT_SECURITY_POLICY = None
    settings.CONTENT_SECURITY_POLICY_REPORT_ONLY = policy
    response = client.get("/en/certificates/verify/")
    assert "Content-Security-Policy" not in response
    assert "script-src 'self'" in response["Content-Security-Policy-Report-Only"]
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    admin = client.get("/admin/")["Content-Security-Policy-Report-Only"]
    assert "'unsafe-inline'" in admin


# --- Cache-Control ------------------------------------------------------------------------------
def test_anonymous_public_pages_are_not_marked_private(client):
    assert "no-store" not in _cache_control(client.get("/en/certificates/verify/"))


@pytest.mark.parametrize("name", ["learn_dashboard", "learn_transcript", "profile_edit"])
def test_authenticated_pages_are_private_no_store(learner_client, name):
    response = learner_client.get(reverse(name))
    assert response.status_code == 200
    assert {"private", "no-store"} <= _cache_control(response)


# Workbooks are built in the background: the XLSX link answers with the exports page (a redirect
# to it, then the page), and every step must stay out of shared caches.
@pytest.mark.parametrize("name", ["hr_dashboard", "hr_export_csv", "hr_export_xlsx", "hr_exports"])
def test_hr_pages_and_exports_are_private_no_store(client, name):
    org = OrganisationFactory()
    officer = HROfficerRoleFactory(organisation=org, user=UserFactory(organisation=org)).user
    client.force_login(officer)
    response = client.get(reverse(name))
    assert response.status_code in (200, 302)
    assert {"private", "no-store"} <= _cache_control(response)
    if response.status_code == 302:
        followed = client.get(response["Location"])
        assert followed.status_code == 200
        assert {"private", "no-store"} <= _cache_control(followed)


def test_downloads_are_private_even_without_a_session(rf):
    from django.http import HttpResponse

    from cms.middleware import PrivateCacheMiddleware

    def view(request):
        response = HttpResponse(b"%PDF", content_type="application/pdf")
        response["Cache-Control"] = "public, max-age=3600"
        return response

    response = PrivateCacheMiddleware(view)(rf.get("/x"))
    assert response["Cache-Control"] == "private, no-store"
