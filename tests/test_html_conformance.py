"""Every page the suite can reach, for every role, is valid HTML by the W3C Nu HTML Checker.

The pages are rendered through the test client against realistic data, written to one folder,
and checked in a single run of the checker: the JVM starts once for the whole batch.
`make test` installs the checker into `.vnu/` where npm and Java exist; without them the test is
skipped with a plain message. Set `VNU_JAR` to use a checker installed elsewhere.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import uuid
import warnings
from collections import Counter
from datetime import timedelta
from pathlib import Path
from unittest import mock
from urllib.parse import unquote, urlparse

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import RequestFactory
from django.urls import URLPattern, get_resolver, reverse
from django.utils import timezone
from wagtail.models import Locale, Page
from wagtail_localize.operations import translate_object

from cms import views as cms_views
from cms.demo.site import COURSE_EDITORS, TRAINERS, ensure_authoring
from cms.models import StandardPage
from courses.models import QuestionBank
from courses.selectors.workbooks import workbook_spec
from learners.accounts.services import invitation_token, membership_request_submit
from learners.attempts.services import attempt_start, attempt_submit
from learners.certificates.services import certificate_revoke
from learners.credentials.services import credentials_backfill
from learners.hr.services import assignment_create
from learners.journal.services import note_save
from learners.models import (
    ActivityEvent,
    AssignmentTarget,
    Certificate,
    Invitation,
    LearningRecordStore,
    OutboxEntry,
    RevocationReason,
)
from learners.privacy.archive import data_export_build
from learners.privacy.services import data_export_request
from learners.progress.services import enrolment_create, lesson_complete, lesson_view_record
from learners.scorm.services import scorm_commit
from learners.workbooks.services import (
    submission_review,
    workbook_open,
    workbook_save,
    workbook_submit,
)
from tests import scorm_packages
from tests.courses.test_rendering import all_blocks_body
from tests.factories import (
    PASSWORD,
    DepartmentFactory,
    HROfficerRoleFactory,
    OrganisationFactory,
    UserFactory,
    catalogue_page,
    complete_course,
    correct_form,
    home_page,
    make_course,
    make_document,
    make_image,
    make_quiz,
    make_scorm_lesson,
    make_scorm_package,
    make_workbook,
    translate,
    wrong_form,
)

ROOT = Path(settings.BASE_DIR)
WORKBOOK_FORM = {
    "f-fld-assets": "A port and two universities.",
    "f-fld-ties-0-0": "Porto",
    "f-fld-priorities": ["Climate"],
    "f-fld-scoring-0-name": "Eurocities",
    "f-fld-scoring-0-s0": "4",
    "f-fld-stakeholders-hh": "Mayor",
    "f-fld-indicators-0-0": "Agreements signed",
}
JAR_CANDIDATES = [
    ROOT / ".vnu/node_modules/vnu-jar/build/dist/vnu.jar",
    ROOT / "node_modules/vnu-jar/build/dist/vnu.jar",
]

# Project URL names that answer with something other than an HTML page, or only to POST
# (redirects). Every other project URL must be rendered below, so a new page cannot slip past.
NOT_HTML_PAGES = {
    "learn_enrol",  # POST, redirects
    "learn_complete_lesson",  # POST, redirects
    "learn_quiz_start",  # POST, redirects
    "learn_retake",  # POST, redirects
    "hr_learner_department",  # POST, redirects
    "hr_member_request_decide",  # POST, redirects
    "certificate_public_details",  # POST, redirects
    "hr_export_csv",  # CSV
    "hr_export_xlsx",  # spreadsheet
    "hr_exports_status",  # JSON
    "hr_export_download",  # CSV or spreadsheet
    "hr_matrix_export_csv",  # CSV
    "hr_matrix_export_xlsx",  # redirects to the exports page
    "quiz_report_csv",  # CSV
    "learn_transcript_pdf",  # PDF
    "learn_workbook_pdf",  # PDF
    "learn_workbook_docx",  # Word document
    "learn_notes_csv",  # CSV
    "learn_note_save",  # POST, redirects
    "healthz",  # JSON, for load balancers
    "readyz",  # JSON, for load balancers
    "privacy_export_request",  # POST, redirects
    "privacy_export_download",  # ZIP
    "privacy_notice",  # redirects to the privacy notice page (a StandardPage)
    "language_switch",  # POST, redirects to the page in the chosen language
    "xapi_my_statements",  # JSON (xAPI statements)
    "xapi_hr_learner_statements",  # JSON (xAPI statements)
    # Open Badges credentials: the holder's downloads and the issuer's public documents. The
    # pages that link to them (My learning, the verification page) are rendered below with
    # credentials issued.
    "credential_holder_json",  # JSON-LD
    "credential_holder_jwt",  # VC-JWT
    "credential_holder_badge",  # SVG badge
    "credential_public_json",  # JSON-LD
    "credential_public_jwt",  # VC-JWT
    "credentials_issuer",  # JSON-LD issuer profile
    "credentials_status_list",  # VC-JWT status list
    "credentials_jwks",  # JWK set
    "learn_scorm_commit",  # JSON, the SCORM runtime's commits
    "lti_jwks",  # JWK set of the LTI tool
    "lti_canvas_config",  # JSON, Canvas's LTI key configuration
}


# Errors in the markup of Wagtail's own admin templates (8.0: dropdown, side panel, tabs) on
# the user create and edit screens, which ours extend and cannot change. They are listed in the
# test's warnings, and tolerated on admin screens only.
UPSTREAM_ADMIN_ERRORS = (
    "Attribute “type” not allowed on element “div” at this point.",
    "Element “div” not allowed as child of element “button” in this context.",
    "Element “div” not allowed as child of element “label” in this context.",
    "An element with “role=tab” must be contained in, or owned by, an element with the “role” "
    "value “tablist”.",
)


def nu_checker() -> list[str] | None:
    """The command that starts the checker, or None when Java or the jar is missing."""
    java = shutil.which("java")
    candidates = [Path(os.environ["VNU_JAR"])] if os.environ.get("VNU_JAR") else JAR_CANDIDATES
    jar = next((path for path in candidates if path.is_file()), None)
    if java is None or jar is None:
        return None
    return [java, "-jar", str(jar)]


def project_url_names() -> set[str]:
    """Named URL patterns of the project's own views (not Wagtail's, allauth's or Django's)."""
    names: set[str] = set()

    def walk(patterns):
        for entry in patterns:
            if isinstance(entry, URLPattern):
                module = getattr(entry.callback, "__module__", "")
                if entry.name and module.startswith(("learners.", "cms.")):
                    names.add(entry.name)
            else:
                walk(entry.url_patterns)

    walk(get_resolver().url_patterns)
    return names


def site_page_types() -> set[str]:
    """Every page model of the site that renders a page of its own."""
    from django.apps import apps

    return {
        model.__name__
        for app in ("cms", "courses")
        for model in apps.get_app_config(app).get_models()
        if issubclass(model, Page) and model.__name__ != "ModulePage"  # redirects to its course
    }


class PageSet:
    """Renders pages through a test client and writes each one to `folder/role/NN-name.html`,
    remembering which URLs and page types it has seen."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.per_role: Counter[str] = Counter()
        self.url_names: set[str] = set()
        self.page_types: set[str] = set()
        self.admin_screens: set[str] = set()

    def add(self, role: str, name: str, response, *, status: int = 200, admin=False) -> None:
        assert response.status_code == status, (role, name, response.status_code)
        assert response["Content-Type"].startswith("text/html"), (role, name)
        if getattr(response, "resolver_match", None) and response.resolver_match.url_name:
            self.url_names.add(response.resolver_match.url_name)
        context = getattr(response, "context", None)
        page = context.get("page") if context is not None else None
        if isinstance(page, Page):
            self.page_types.add(type(page).__name__)
        self.write(role, name, response.content.decode(), admin=admin)

    def write(self, role: str, name: str, html: str, *, admin: bool = False) -> None:
        self.per_role[role] += 1
        page = f"{role}/{self.per_role[role]:02d}-{name}.html"
        (self.folder / role).mkdir(parents=True, exist_ok=True)
        (self.folder / page).write_text(html, encoding="utf-8")
        if admin:
            self.admin_screens.add(page)

    def get(self, client, role, name, url, params=None, *, status=200, admin=False, **headers):
        response = client.get(url, params or {}, headers=headers)
        self.add(role, name, response, status=status, admin=admin)


def page_of(message: dict, folder: Path) -> str:
    """`role/NN-name.html` of the page a message is about."""
    path = Path(unquote(urlparse(message.get("url", "")).path))
    try:
        return str(path.relative_to(folder))
    except ValueError:
        return str(path)


def run_checker(command: list[str], folder: Path) -> list[dict]:
    completed = subprocess.run(  # noqa: S603 (our own command line, no shell)
        [*command, "--format", "json", "--stdout", "--exit-zero-always", str(folder)],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    return json.loads(completed.stdout)["messages"]


def describe(message: dict, folder: Path) -> str:
    where = page_of(message, folder)
    line = message.get("lastLine", "?")
    extract = " ".join(message.get("extract", "").split())
    return f"{where}:{line}: {message.get('message')} [{extract}]"


CHECKER = nu_checker()
MISSING = (
    "the W3C Nu HTML Checker needs Java and vnu.jar: `make test` installs vnu-jar into .vnu/ "
    "where npm and Java exist (or set VNU_JAR)"
)
# Decided at collection, before the test database is built, so that a skip costs nothing.
pytestmark = [
    pytest.mark.htmlcheck,
    pytest.mark.django_db,
    pytest.mark.skipif(
        CHECKER is None and not os.environ.get("HTMLCHECK_REQUIRED"), reason=MISSING
    ),
]


# --- The world the pages are rendered from ----------------------------------------------------
@pytest.fixture
def world():
    home = home_page()
    home.headline = "Learn to act internationally"
    home.intro = "<p>Courses for <b>local governments</b>.</p>"
    home.save_revision().publish()
    home.add_child(
        instance=StandardPage(
            title="Accessibility",
            slug="accessibility",
            intro="How this site works for everyone.",
            body=[("heading", "Our commitment"), ("paragraph", "<p>WCAG 2.1 AA.</p>")],
        )
    )
    ensure_authoring(catalogue_page())

    image, document = make_image(), make_document()
    flagship = make_course(
        modules=2,
        lessons_per_module=2,
        title="International action for cities",
        first_lesson_preview=True,
        certificate_validity_months=24,
        cover_image=image,
        cover_image_alt="A city hall",
        description="<p>Plan and manage <i>international</i> work.</p>",
        learning_outcomes=[("outcome", "Map partners"), ("outcome", "Write a strategy")],
        audience="Civil servants",
        prerequisites="None",
    )
    first = flagship.lessons[0]
    first.body = all_blocks_body(image, document)
    first.intro = "Why cities act abroad."
    first.save_revision().publish()
    module_quiz = make_quiz(flagship.modules[0], questions=5, pass_mark=60, attempts_allowed=3)
    final = make_quiz(
        flagship.course,
        questions=5,
        title="Final assessment",
        time_limit_minutes=30,
        required_for_completion=True,
    )
    other = make_course(modules=1, lessons_per_module=2, title="Twinning basics")
    third = make_course(modules=1, lessons_per_module=3, title="EU funding for municipalities")

    metro = OrganisationFactory(
        name="Metropolitan Government of Nova Aurelia", level="metropolitan"
    )
    city = OrganisationFactory(name="Municipality of Port Esmer", parent=metro)
    planning = DepartmentFactory(organisation=city, name="International Relations")
    learner = UserFactory(
        full_name="Lea Learner", organisation=city, department=planning, job_title="Officer"
    )
    colleague = UserFactory(full_name="Carl Colleague", organisation=city, department=planning)
    officer = HROfficerRoleFactory(
        organisation=metro, user=UserFactory(full_name="Olga Officer", organisation=metro)
    ).user
    trainer = UserFactory(full_name="Tomás Trainer", is_staff=True)
    trainer.groups.add(Group.objects.get(name=TRAINERS))
    editor = UserFactory(full_name="Edith Editor", is_staff=True)
    editor.groups.add(Group.objects.get(name=COURSE_EDITORS))
    admin = UserFactory(full_name="Ada Admin", is_staff=True, is_superuser=True)

    # The learner: the flagship completed with a certificate (its PDF is rendered on commit,
    # which never comes inside a test's transaction: the "PDF pending" page can be seen), quiz
    # attempts failed and passed, one course in progress with an HR assignment, and an open
    # timed attempt at the final assessment.
    enrolment = complete_course(learner, flagship)
    certificate = Certificate.objects.get(enrolment=enrolment)
    failed = attempt_start(user=learner, quiz=module_quiz)
    attempt_submit(user=learner, attempt=failed, data=wrong_form(failed.snapshot))
    passed = attempt_start(user=learner, quiz=module_quiz)
    attempt_submit(user=learner, attempt=passed, data=correct_form(passed.snapshot))
    open_attempt = attempt_start(user=learner, quiz=final)
    third_enrolment, _ = enrolment_create(user=learner, course=third.course)
    lesson_complete(user=learner, enrolment=third_enrolment, lesson=third.lessons[0])
    lesson_view_record(user=learner, enrolment=third_enrolment, lesson=third.lessons[1])
    assignment_create(
        created_by=officer,
        course=third.course,
        organisation=city,
        target=AssignmentTarget.DEPARTMENT,
        department=planning,
        due_on=timezone.localdate() + timedelta(days=30),
    )
    # A multi-SCO SCORM 2004 lesson in the course in progress, its first part suspended.
    scorm_lesson = make_scorm_lesson(
        third.modules[0],
        make_scorm_package(scorm_packages.package(version="2004", scos=2)),
        title="Funding rules, interactive",
    )
    scorm_commit(
        user=learner,
        enrolment=third_enrolment,
        lesson=scorm_lesson,
        package_id=scorm_lesson.package_id,
        version=scorm_lesson.package.version,
        sco=scorm_lesson.package.sco("item1"),
        sco_identifiers=["item1", "item2"],
        number=1,
        sequence=1,
        session_key="conformance",
        cmi={"location": "p2", "exit": "suspend", "score": {"scaled": "0.5"}},
    )
    colleague_enrolment = complete_course(colleague, other)
    revoked = Certificate.objects.get(enrolment=colleague_enrolment)
    # Capstone workbooks: one reviewed (revise) with a second version waiting, in the flagship;
    # one draft in the course in progress; a reflection note.
    workbook_page = make_workbook(flagship.course, title="Your action plan")
    spec = workbook_spec(workbook_page)
    workbook = workbook_open(user=learner, enrolment=enrolment, page=workbook_page)
    workbook = workbook_save(
        user=learner, workbook=workbook, spec=spec, data=WORKBOOK_FORM, expected_version=0
    )
    first_version = workbook_submit(user=learner, workbook=workbook, spec=spec)
    submission_review(
        reviewer=admin,
        submission=first_version,
        levels={"crit-evidence": 1, "crit-feasibility": 0},
        section_feedback={"sec-diagnosis": "Name the partners."},
        overall_feedback="Add a budget.",
        accept=False,
    )
    workbook = workbook_save(
        user=learner, workbook=workbook, spec=spec, data=WORKBOOK_FORM, expected_version=1
    )
    second_version = workbook_submit(user=learner, workbook=workbook, spec=spec)
    draft_page = make_workbook(third.course, title="Your funding plan")
    note_save(
        user=learner,
        lesson=first,
        block_id="reflection-1",
        prompt="Which partner matters most?",
        course_id=flagship.course.pk,
        course_title=flagship.course.title,
        text="Our twin city.",
    )
    certificate_revoke(
        certificate=revoked, actor=admin, reason=RevocationReason.MISCONDUCT, note="Case 12"
    )
    credentials_backfill()  # the pages below show the Open Badges credentials
    return {
        "flagship": flagship,
        "module_quiz": module_quiz,
        "final": final,
        "other": other,
        "third": third,
        "learner": learner,
        "colleague": colleague,
        "city": city,
        "metro": metro,
        "officer": officer,
        "trainer": trainer,
        "editor": editor,
        "admin": admin,
        "certificate": certificate,
        "revoked": revoked,
        "failed": failed,
        "passed": passed,
        "open_attempt": open_attempt,
        "workbook_page": workbook_page,
        "first_version": first_version,
        "second_version": second_version,
        "draft_page": draft_page,
        "spanish": {
            "home": translate(home, title="Inicio", slug="inicio"),
            "course": translate(
                flagship.course, title="Acción internacional para ciudades", slug="accion"
            ),
        },
        "scorm_lesson": scorm_lesson,
    }


def public_pages(pages: PageSet, client, role: str, world) -> None:
    flagship = world["flagship"]
    pages.get(client, role, "home", "/en/")
    pages.get(client, role, "standard-page", "/en/accessibility/")
    pages.get(client, role, "catalogue", "/en/courses/")
    pages.get(client, role, "catalogue-filtered", "/en/courses/", {"level": "introductory"})
    pages.get(client, role, "course", flagship.course.url)
    pages.get(client, role, "course-other", world["other"].course.url)
    pages.get(client, role, "search", "/en/search/", {"q": "cities"})
    pages.get(client, role, "search-empty", "/en/search/")
    pages.get(client, role, "search-nothing-found", "/en/search/", {"q": "zzzxq"})
    pages.get(client, role, "verify-form", reverse("certificate_verify_form"))
    pages.get(client, role, "verify-valid", world["certificate"].get_verify_url())
    pages.get(client, role, "verify-revoked", world["revoked"].get_verify_url())
    pages.get(
        client,
        role,
        "verify-not-found",
        reverse("certificate_verify_form"),
        {"code": "NOPE"},
        status=404,
    )
    pages.get(client, role, "not-found", "/en/no-such-page/", status=404)
    # The same site in Spanish: home, a translated course and lesson, the Spanish search.
    spanish = world["spanish"]
    # Read afresh: the trainer's screens below sync these translations again, which gives the
    # Spanish pages their source's slugs.
    pages.get(client, role, "es-home", Page.objects.get(pk=spanish["home"].pk).url)
    pages.get(client, role, "es-course", Page.objects.get(pk=spanish["course"].pk).url)
    pages.get(client, role, "es-search", "/es/search/", {"q": "ciudades"})
    pages.get(client, role, "es-verify-form", "/es/certificates/verify/")
    pages.get(client, role, "refused-input", "/en/search/", {"q": "GDPR\x00"}, status=400)


def test_every_page_is_valid_html(client, tmp_path, world):
    if CHECKER is None:  # only when HTMLCHECK_REQUIRED is set (CI, .ci/run): never skip there
        pytest.fail(MISSING)
    pages = PageSet(tmp_path / "pages")
    flagship, learner = world["flagship"], world["learner"]

    # Anonymous visitors.
    public_pages(pages, client, "anonymous", world)
    pages.get(client, "anonymous", "lesson-preview", flagship.lessons[0].url)
    pages.get(client, "anonymous", "home-spanish", "/es/", accept_language="es")
    pages.get(client, "anonymous", "login", reverse("account_login"))
    wrong = {"login": learner.email, "password": "wrong"}
    pages.add("anonymous", "login-refused", client.post(reverse("account_login"), wrong))
    pages.get(client, "anonymous", "signup", reverse("account_signup"))
    invalid = {"email": "not-an-address", "password1": "x"}
    pages.add("anonymous", "signup-errors", client.post(reverse("account_signup"), invalid))
    pages.get(client, "anonymous", "password-reset", reverse("account_reset_password"))
    pages.get(client, "anonymous", "password-reset-done", reverse("account_reset_password_done"))
    client.post(reverse("account_reset_password"), {"email": learner.email})
    reset_link = re.search(r"https?://testserver(/\S+)", mail.outbox[-1].body).group(1)
    pages.add("anonymous", "password-reset-key", client.get(reset_link, follow=True))
    with mock.patch("learners.certificates.views.rate_limited", return_value=True):
        verify = world["certificate"].get_verify_url()
        pages.get(client, "anonymous", "too-many-requests", verify, status=429)
    server_error = cms_views.server_error(RequestFactory().get("/"))
    pages.write("anonymous", "server-error", server_error.content.decode())
    newcomer = {
        "full_name": "Nina New",
        "email": "nina@example.org",
        "password1": "a long unusual passphrase 1987",
        "password2": "a long unusual passphrase 1987",
        "government_level": "local",
    }
    signed_up = client.post(reverse("account_signup"), newcomer, follow=True)
    pages.add("anonymous", "signup-verification-sent", signed_up)
    invitation = Invitation.objects.create(
        organisation=world["city"], email="ivo@example.org", full_name="Ivo Invited"
    )
    invitation_url = reverse("membership_invitation", args=[invitation_token(invitation)])
    pages.get(client, "anonymous", "invitation", invitation_url)
    invalid_invitation = reverse("membership_invitation", args=["tampered"])
    pages.get(client, "anonymous", "invitation-invalid", invalid_invitation, status=404)

    # The learner.
    client.force_login(learner)
    public_pages(pages, client, "learner", world)
    pages.get(client, "learner", "my-learning", reverse("learn_dashboard"))
    pages.get(
        client, "learner", "my-learning-spanish", reverse("learn_dashboard"), accept_language="es"
    )
    pages.get(client, "learner", "transcript", reverse("learn_transcript"))
    pages.get(client, "learner", "profile", reverse("profile_edit"))
    pages.get(client, "learner", "invitation-other-address", invitation_url)
    blank = {"full_name": "", "government_level": ""}
    pages.add("learner", "profile-errors", client.post(reverse("profile_edit"), blank))
    pages.get(client, "learner", "lesson-every-block", flagship.lessons[0].url)
    pages.get(client, "learner", "lesson-last", flagship.lessons[-1].url)
    pages.get(client, "learner", "lesson-in-progress", world["third"].lessons[1].url)
    pages.get(client, "learner", "course-in-progress", world["third"].course.url)
    pages.get(client, "learner", "quiz", world["module_quiz"].url)
    scorm_lesson = world["scorm_lesson"]
    pages.get(client, "learner", "scorm-lesson-resumed", scorm_lesson.url)
    pages.get(client, "learner", "scorm-lesson-second-part", scorm_lesson.url, {"sco": "item2"})
    sco_page = reverse("learn_scorm_content", args=[scorm_lesson.pk, "sco1/index.html"])
    # A package's file is streamed from storage (a FileResponse): written as it is served.
    sco_response = client.get(sco_page)
    assert sco_response.status_code == 200
    pages.url_names.add(sco_response.resolver_match.url_name)
    sco_html = b"".join(sco_response.streaming_content).decode()
    pages.write("learner", "scorm-package-page", sco_html)
    pages.get(client, "learner", "final-assessment-open-attempt", world["final"].url)
    attempt = world["open_attempt"]
    take = reverse("learn_attempt", args=[attempt.public_id])
    pages.get(client, "learner", "attempt-take", take)
    blank = {"attempt": str(attempt.public_id), "action": "submit"}
    pages.add("learner", "attempt-blank-warning", client.post(take, blank))
    tampered = {"attempt": str(attempt.public_id), "action": "submit", "q-x": "y"}
    pages.add("learner", "attempt-refused", client.post(take, tampered), status=400)
    for name in ("failed", "passed"):
        result = reverse("learn_attempt_result", args=[world[name].public_id])
        pages.get(client, "learner", f"attempt-result-{name}", result)
    pages.get(client, "learner", "enrol-prompt", world["other"].lessons[0].url, status=403)
    pages.get(client, "learner", "hr-forbidden", reverse("hr_dashboard"), status=403)
    with mock.patch("learners.certificates.views.certificate_render"):
        pdf = reverse("certificate_pdf", args=[world["certificate"].code])
        pages.get(client, "learner", "certificate-pdf-pending", pdf, status=503)
    pages.get(client, "learner", "workbook-page", world["workbook_page"].url)
    pages.get(
        client,
        "learner",
        "workbook-waiting",
        reverse("learn_workbook", args=[world["workbook_page"].pk]),
    )
    for version in ("first_version", "second_version"):
        submission = world[version]
        url = reverse(
            "learn_workbook_submission", args=[submission.workbook.public_id, submission.number]
        )
        pages.get(client, "learner", f"workbook-{version}", url)
    draft = reverse("learn_workbook", args=[world["draft_page"].pk])
    pages.get(client, "learner", "workbook-draft", draft)
    client.post(draft, {**WORKBOOK_FORM, "version": 0, "action": "save"})
    stale = {"f-fld-assets": "From another tab", "version": 0, "action": "save"}
    pages.add("learner", "workbook-conflict", client.post(draft, stale), status=409)
    too_long = {"f-fld-assets": "x" * 600, "version": 1, "action": "save"}
    pages.add("learner", "workbook-too-long", client.post(draft, too_long), status=400)
    pages.get(client, "learner", "my-notes", reverse("learn_notes"))
    pages.get(client, "learner", "password-change", reverse("account_change_password"))
    pages.get(client, "learner", "email-addresses", reverse("account_email"))
    my_data = reverse("privacy_my_data")
    pages.get(client, "learner", "my-data", my_data)
    export, _queued = data_export_request(user=learner)  # on_commit never runs here: pending
    pages.get(client, "learner", "my-data-preparing", my_data)
    data_export_build(export_id=export.pk)
    pages.get(client, "learner", "my-data-ready", my_data)
    delete = reverse("privacy_account_delete")
    pages.add("learner", "reauthenticate", client.get(delete, follow=True))
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    pages.get(client, "learner", "account-delete", delete)
    pages.add("learner", "account-delete-errors", client.post(delete, {}))

    # Authors and administrators see the public pages with Wagtail's user bar; authors meet the
    # enrolment prompt on lessons and quizzes, administrators read them.
    for role in ("trainer", "editor", "admin"):
        client.force_login(world[role])
        public_pages(pages, client, role, world)
        gate = 200 if role == "admin" else 403
        pages.get(client, role, "lesson", flagship.lessons[1].url, status=gate)
        pages.get(client, role, "quiz", world["module_quiz"].url, status=gate)

    # The screens this project adds to Wagtail's admin.
    client.force_login(world["trainer"])
    pages.get(client, "trainer", "quiz-reports", reverse("quiz_reports"), admin=True)
    report = reverse("quiz_report", args=[world["module_quiz"].pk])
    pages.get(client, "trainer", "quiz-report", report, admin=True)
    pages.get(client, "trainer", "admin-dashboard", reverse("wagtailadmin_home"), admin=True)
    # The translation workflow (courses/translation_admin.py): a Spanish course whose English
    # source was published again after the translation synced.
    spanish, _created = Locale.objects.get_or_create(language_code="es")
    for source in (home_page(), catalogue_page(), flagship.course):
        translate_object(source.specific, [spanish])
    translated = flagship.course.get_translation(spanish)
    Page.objects.filter(pk=flagship.course.pk).update(
        last_published_at=timezone.now() + timedelta(hours=1)
    )
    report = reverse("translations_out_of_date")
    pages.get(client, "trainer", "translations-out-of-date", report, admin=True)
    submit = reverse("translation_submit_for_review", args=[translated.pk])
    pages.get(client, "trainer", "translation-submit", submit, admin=True)
    scorm_upload = reverse("wagtailsnippets_courses_scormpackage:add")
    pages.get(client, "trainer", "scorm-package-upload", scorm_upload, admin=True)
    refused = SimpleUploadedFile("refused.zip", scorm_packages.without_manifest())
    pages.add(
        "trainer",
        "scorm-package-refused",
        client.post(scorm_upload, {"title": "", "package_file": refused}),
        admin=True,
    )
    pages.get(client, "trainer", "workbook-reviews", reverse("workbook_review_index"), admin=True)
    for version in ("first_version", "second_version"):
        review = reverse("workbook_review", args=[world[version].pk])
        pages.get(client, "trainer", f"workbook-review-{version}", review, admin=True)
    client.force_login(world["admin"])
    pages.get(client, "admin", "certificates", reverse("certificate_admin_index"), admin=True)
    detail = reverse("certificate_admin_detail", args=[world["revoked"].pk])
    pages.get(client, "admin", "certificate", detail, admin=True)
    pages.get(client, "admin", "user-create", reverse("wagtailusers_users:add"), admin=True)
    user_edit = reverse("wagtailusers_users:edit", args=[learner.pk])
    pages.get(client, "admin", "user-edit", user_edit, admin=True)
    user_erase = reverse("privacy_user_erase", args=[learner.pk])
    pages.get(client, "admin", "user-erase", user_erase, admin=True)
    # The xAPI outbox: empty, then with an LRS that holds a pending and a dead statement.
    pages.get(client, "admin", "xapi-outbox-empty", reverse("xapi_outbox"), admin=True)
    lrs = LearningRecordStore.objects.create(
        name="analytics", endpoint="https://lrs.example.org/xAPI/", key="k", secret_env="XAPI_S"
    )
    events = list(ActivityEvent.objects.filter(actor=learner).order_by("id")[:2])
    for event, state in zip(events, ("pending", "dead"), strict=True):
        OutboxEntry.objects.create(
            event=event,
            lrs=lrs,
            statement_id=uuid.uuid4(),
            state=state,
            attempts=8 if state == "dead" else 1,
            next_attempt_at=timezone.now(),
            last_error="HTTP 503: <html>unavailable</html>" if state == "dead" else "",
        )
    for state in ("dead", "pending"):
        outbox = reverse("xapi_outbox") + f"?state={state}"
        pages.get(client, "admin", f"xapi-outbox-{state}", outbox, admin=True)
    bank = QuestionBank.objects.create(name="Conformance bank")
    bank_import = reverse("question_bank_import", args=[bank.pk])
    pages.get(client, "admin", "question-bank-import", bank_import, admin=True)
    for name, text in (("good", "Twin? {TRUE}\n"), ("errors", "Twin? {=a\n\nNo answers\n")):
        upload = SimpleUploadedFile("bank.gift", text.encode())
        preview = client.post(bank_import, {"file_format": "gift", "file": upload})
        pages.add("admin", f"question-bank-preview-{name}", preview, admin=True)

    # HR officers.
    client.force_login(world["officer"])
    public_pages(pages, client, "hr", world)
    dashboard = reverse("hr_dashboard")
    pages.get(client, "hr", "dashboard", dashboard)
    pages.get(client, "hr", "dashboard-in-progress", dashboard, {"status": "in_progress"})
    pages.get(client, "hr", "dashboard-by-course", dashboard, {"sort": "course", "page": 1})
    pages.get(client, "hr", "learner-detail", reverse("hr_learner", args=[learner.pk]))
    pages.get(client, "hr", "learner-out-of-scope", reverse("hr_learner", args=[0]), status=404)
    pages.get(client, "hr", "dashboard-bad-filter", reverse("hr_dashboard"), {"course": "x"})
    refused = {"course": "x"}
    pages.get(client, "hr", "export-refused", reverse("hr_export_csv"), refused, status=400)
    pages.get(client, "hr", "assignments", reverse("hr_assignments"))
    pages.get(client, "hr", "assignment-form", reverse("hr_assignment_new"))
    incomplete = {"target": "department"}
    pages.add("hr", "assignment-errors", client.post(reverse("hr_assignment_new"), incomplete))
    from learners.hr.exports import export_job_run
    from learners.hr.models import ExportJob

    export_job_run(job_id=ExportJob.objects.create(requester=world["officer"], format="csv").pk)
    ExportJob.objects.create(requester=world["officer"], format="xlsx")  # still waiting
    pages.get(client, "hr", "exports", reverse("hr_exports"))
    pages.get(client, "hr", "exports-prepare", reverse("hr_exports"), {"format": "xlsx"})
    matrix = reverse("hr_matrix")
    pages.get(client, "hr", "matrix", matrix)
    pages.get(client, "hr", "matrix-overdue", matrix, {"status": "overdue", "q": "a"})
    pages.get(client, "hr", "matrix-empty", matrix, {"q": "nobody-has-this-name"})
    pages.get(client, "hr", "matrix-bad-filter", matrix, {"department": "x"})
    pages.get(client, "hr", "matrix-out-of-scope", matrix, {"organisation": 999999}, status=404)
    matrix_prepare = {"format": "xlsx", "report": "matrix"}
    pages.get(client, "hr", "exports-prepare-matrix", reverse("hr_exports"), matrix_prepare)
    membership_request_submit(user=world["colleague"], organisation=world["metro"], department=None)
    pages.get(client, "hr", "members", reverse("hr_members"))
    pages.get(client, "hr", "member-invite", reverse("hr_member_invite"))
    refused = {"email": "not-an-address", "organisation": world["city"].pk}
    pages.add("hr", "member-invite-errors", client.post(reverse("hr_member_invite"), refused))
    pages.get(client, "hr", "member-invite-csv", reverse("hr_member_invite_csv"))
    for name, text in (
        ("ok", "name,email,department,job_title\nIda Ok,ida@example.org,,Clerk\n"),
        ("errors", "name,email,department,job_title\n,bad,Nowhere,\nLea,lea@x.example,,\n"),
        ("file-error", "who,what\n"),
    ):
        data = {"organisation": world["city"].pk, "csv_text": text, "step": "preview"}
        response = client.post(reverse("hr_member_invite_csv"), data)
        pages.add("hr", f"member-invite-csv-{name}", response, status=response.status_code)
    client.force_login(world["colleague"])
    pages.get(client, "learner", "profile-pending", reverse("profile_edit"))

    # The LTI tool's pages (learners/lti), as a platform's frame shows them: the cookie check
    # of the login initiation, refusals, and (rendered from their templates, since they need a
    # signed launch) the deep-linking picker, its answer and the dynamic registration's end.
    from django.template.loader import render_to_string

    from learners.lti.selectors import picker_courses

    client.logout()
    login = {"iss": "https://lms.example", "login_hint": "u1"}
    login["target_link_uri"] = "http://testserver/lti/launch/"
    cookie_check = client.get(reverse("lti_login"), login)
    pages.add("lti", "cookie-check", cookie_check)
    some_uuid = "00000000-0000-4000-8000-000000000000"
    pages.get(
        client, "lti", "cookie-check-2", reverse("lti_login_registration", args=[some_uuid]), login
    )
    pages.add(
        "lti",
        "launch-refused",
        client.post(reverse("lti_launch"), {"id_token": "a.b.c"}),
        status=400,
    )
    refused = client.post(reverse("lti_deep_link_choose"), {"launch_id": "x", "page_id": "1"})
    pages.add("lti", "deep-link-refused", refused, status=400)
    forged = {"openid_configuration": "https://lms.example/.well-known/openid-configuration"}
    pages.get(
        client, "lti", "register-refused", reverse("lti_register", args=["x"]), forged, status=403
    )
    request = cookie_check.wsgi_request
    context = {"launch_id": "lti1p3-launch-x", "courses": picker_courses()}
    pages.write("lti", "picker", render_to_string("learners/lti/picker.html", context, request))
    context = {"return_url": "https://lms.example/dl", "jwt": "a.b.c", "title": "A course"}
    pages.write(
        "lti",
        "deep-link-return",
        render_to_string("learners/lti/deep_link_return.html", context, request),
    )
    registration = {"registration": {"issuer": "https://lms.example"}}
    pages.write(
        "lti", "registered", render_to_string("learners/lti/registered.html", registration, request)
    )

    # Nothing the site serves as a page is left out: a new view or page type fails here first.
    missing_urls = project_url_names() - NOT_HTML_PAGES - pages.url_names
    assert not missing_urls, f"add these pages to the HTML check: {sorted(missing_urls)}"
    missing_types = site_page_types() - pages.page_types
    assert not missing_types, f"add these page types to the HTML check: {sorted(missing_types)}"

    messages = run_checker(CHECKER, pages.folder)
    tolerated = [
        m
        for m in messages
        if page_of(m, pages.folder) in pages.admin_screens
        and m.get("message", "").startswith(UPSTREAM_ADMIN_ERRORS)
    ]
    errors = [m for m in messages if m["type"] != "info" and m not in tolerated]
    # Wagtail's admin markup has dozens of warnings of its own; ours are listed.
    notes = [
        m
        for m in messages
        if m["type"] == "info" and page_of(m, pages.folder) not in pages.admin_screens
    ]
    counts = ", ".join(f"{role}: {n}" for role, n in sorted(pages.per_role.items()))
    print(f"Nu HTML Checker: {pages.per_role.total()} pages ({counts})")  # noqa: T201
    if tolerated or notes:
        listed = "\n".join(
            [describe(m, pages.folder) for m in notes]
            + [f"tolerated, Wagtail's markup: {describe(m, pages.folder)}" for m in tolerated]
        )
        warnings.warn(f"Nu HTML Checker warnings:\n{listed}", stacklevel=1)
    assert not errors, f"{len(errors)} HTML errors (pages in {pages.folder}):\n" + "\n".join(
        describe(m, pages.folder) for m in errors
    )
