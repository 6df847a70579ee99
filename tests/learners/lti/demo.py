"""`make lti-demo`: the tests' loopback LTI 1.3 platform, for a person trying Capacitas.

While `make run` serves Capacitas (http://127.0.0.1:8000), this serves the platform of
tests/learners/lti/platform.py (OpenLearning's lti1p3platform, dev extra) on
http://127.0.0.1:8010, registers it in the local database as an administrator would (the
admin's own forms for Settings › LTI platforms and LTI deployments; idempotent), trusts the
tool's key set at /lti/jwks.json, and shows a page with launches of the flagship course as a
learner and, by deep linking, as a teacher, with Capacitas inside the platform's iframe.

Both run on 127.0.0.1, so they are the same site (ports do not count) and the tool's
SameSite=Lax cookies work inside the frame over plain http.

    LTI_DEMO_PORT=8010 LTI_DEMO_TOOL=http://127.0.0.1:8000 python -m tests.learners.lti.demo
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[3]
KEY_FILE = BASE_DIR / ".lti-demo" / "platform-key.pem"
FLAGSHIP_SLUG = "international-action-local-governments"
NAME = "Loopback platform (make lti-demo)"


def platform_keys() -> tuple[str, str]:
    """The platform's key pair, kept in a git-ignored file so that a re-run signs with the
    key the tool may have cached from the platform's key set."""
    from jwcrypto.jwk import JWK

    if KEY_FILE.exists():
        key = JWK.from_pem(KEY_FILE.read_bytes())
    else:
        key = JWK.generate(kty="RSA", size=2048)
        KEY_FILE.parent.mkdir(exist_ok=True)
        KEY_FILE.write_bytes(key.export_to_pem(private_key=True, password=None))
        KEY_FILE.chmod(0o600)
    return (
        key.export_to_pem(private_key=True, password=None).decode(),
        key.export_to_pem().decode(),
    )


def register_in_capacitas(platform) -> str:
    """The registration and its active deployment, through the admin's forms; updated in
    place on a re-run. Returns what was done, for the console."""
    from lti_tool.models import LtiDeployment, LtiRegistration

    from learners.lti.admin import LtiDeploymentViewSet, LtiRegistrationForm

    existing = LtiRegistration.objects.filter(
        issuer=platform.issuer, client_id=platform.client_id
    ).first()
    form = LtiRegistrationForm(
        data={
            "name": NAME,
            "issuer": platform.issuer,
            "client_id": platform.client_id,
            "audience": "",
            "auth_url": platform.auth_url,
            "token_url": platform.token_url,
            "keyset_url": platform.keyset_url,
            "is_active": "on",
        },
        instance=existing,
    )
    if not form.is_valid():
        raise SystemExit(f"The platform's registration was refused: {form.errors.as_text()}")
    registration = form.save()
    deployment_form_class = LtiDeploymentViewSet("lti_deployments").get_form_class()
    deployment = LtiDeployment.objects.filter(
        registration=registration, deployment_id=platform.deployment_id
    ).first()
    deployment_form = deployment_form_class(
        data={
            "registration": registration.pk,
            "deployment_id": platform.deployment_id,
            "is_active": "on",
        },
        instance=deployment,
    )
    if not deployment_form.is_valid():
        raise SystemExit(f"The deployment was refused: {deployment_form.errors.as_text()}")
    deployment_form.save()
    return "updated" if existing else "created"


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.dev")
    host = os.environ.get("LTI_DEMO_HOST", "127.0.0.1")
    port = int(os.environ.get("LTI_DEMO_PORT", "8010"))
    tool = os.environ.get("LTI_DEMO_TOOL", "http://127.0.0.1:8000").rstrip("/")

    from tests.learners.lti.platform import MISSING, Platform, platform_available

    if not platform_available():
        raise SystemExit(MISSING.replace("LTI platform tests: SKIPPED", "make lti-demo"))

    import django

    django.setup()
    from courses.models import CoursePage

    course = CoursePage.objects.live().filter(slug=FLAGSHIP_SLUG).first()
    if course is None:
        raise SystemExit(
            "The flagship course is not in the database yet: run `make run` (it loads the "
            "demo) first, then `make lti-demo` in another terminal."
        )
    try:
        platform = Platform(tool=tool, host=host, port=port, keys=platform_keys())
    except OSError as error:
        raise SystemExit(f"Cannot listen on {host}:{port} ({error}); set LTI_DEMO_PORT.") from error
    done = register_in_capacitas(platform)
    # lti1p3platform fetches the tool's keys when it checks a signature (AGS token requests,
    # deep-linking answers), so a key rotation in Capacitas needs no restart here.
    platform.trust_tool_keys(url=f"{tool}/lti/jwks.json")
    platform.home_links = [
        (
            "Launch the flagship course as a learner",
            platform.course_url(
                user_id="platform-learner-1",
                page_id=course.pk,
                name="Pat Platform",
                email="pat.platform@platform.example",
            ),
        ),
        (
            "Launch the flagship course as a teacher (deep linking)",
            # Platform's deep-linking launches carry the Instructor role.
            platform.course_url(user_id="platform-teacher-1", deep_link=True, name="Terry Teacher"),
        ),
    ]
    print(
        f"LTI demo platform on {platform.issuer}/ (registration {done} in Capacitas: issuer "
        f"{platform.issuer}, client id {platform.client_id}, deployment "
        f"{platform.deployment_id}, active).\n"
        f"Capacitas must be served at {tool}/ (`make run`). Open {platform.issuer}/ and choose "
        "a launch. Ctrl+C stops the platform.",
        flush=True,
    )
    try:
        platform.serve_forever()
    except KeyboardInterrupt:
        print("\nLTI demo platform stopped.", file=sys.stderr)


if __name__ == "__main__":
    main()
