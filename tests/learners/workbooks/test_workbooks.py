"""Capstone workbooks: authoring, save and reload, conflicts, limits, review, completion."""

import io

import pytest
from django.core import mail
from django.urls import reverse
from docx import Document
from pypdf import PdfReader

from courses.selectors.workbooks import workbook_spec
from learners.models import Certificate, Enrolment, SubmissionStatus, Workbook, WorkbookSubmission
from learners.workbooks.rules import parse_form, rubric_score
from learners.workbooks.services import (
    WorkbookConflict,
    WorkbookInvalid,
    WorkbookRefused,
    submission_review,
    workbook_open,
    workbook_save,
    workbook_submit,
)
from tests.factories import UserFactory, make_course, make_workbook
from tests.learners.workbooks.conftest import FILLED

pytestmark = pytest.mark.django_db


def _url(page):
    return reverse("learn_workbook", args=[page.pk])


def _post(client, page, data, version, action="save", **headers):
    return client.post(_url(page), {**data, "version": version, "action": action}, **headers)


def _review_everything(reviewer, submission, *, accept):
    return submission_review(
        reviewer=reviewer,
        submission=submission,
        levels={"crit-evidence": 1, "crit-feasibility": 1},
        section_feedback={"sec-diagnosis": "Name the port's partners.", "sec-partners": ""},
        overall_feedback="Good start." if accept else "Please add a budget.",
        accept=accept,
    )


# --- Rules ---------------------------------------------------------------------------------------


def test_parse_form_reads_every_kind_of_field(workbook_course):
    _tree, page = workbook_course
    parsed = parse_form(workbook_spec(page), _querydict(FILLED))
    assert parsed.errors == {}
    answers = parsed.answers
    assert answers["fld-assets"] == "We host the regional port authority.\nTwo universities."
    assert answers["fld-ties"] == [["Porto", "2015"]]
    assert answers["fld-priorities"] == ["Climate", "Culture"]
    assert answers["fld-scoring"] == [{"name": "Eurocities", "scores": [4, 3]}]
    assert answers["fld-stakeholders"]["hh"] == "Mayor's office"
    assert answers["fld-indicators"] == [["Projects funded", "0", "2", "Finance office"]]


@pytest.mark.parametrize(
    "extra, field",
    [
        ({"f-fld-assets": "x" * 501}, "fld-assets"),
        ({"f-fld-ties-3-0": "A fourth row"}, "fld-ties"),
        ({"f-fld-priorities": ["Not offered"]}, "fld-priorities"),
        ({"f-fld-scoring-0-s0": "9"}, "fld-scoring"),
        ({"f-fld-scoring-0-s1": "three"}, "fld-scoring"),
        ({"f-fld-stakeholders-ll": "y" * 301}, "fld-stakeholders"),
    ],
)
def test_parse_form_reports_oversized_and_malformed_values(workbook_course, extra, field):
    _tree, page = workbook_course
    parsed = parse_form(workbook_spec(page), _querydict({**FILLED, **extra}))
    assert field in parsed.errors


def test_whole_workbook_limit(workbook_course):
    _tree, page = workbook_course
    page.max_total_chars = 1000
    spec = workbook_spec(page)
    data = {**FILLED, "f-fld-assets": "a" * 500, "f-fld-ties-0-0": "b" * 600}
    parsed = parse_form(spec, _querydict(data))
    assert "workbook" in parsed.errors


def test_rubric_score_needs_a_level_for_every_criterion(workbook_course):
    _tree, page = workbook_course
    rubric = workbook_spec(page)["rubric"]
    result = rubric_score(rubric, {"crit-evidence": 2, "crit-feasibility": 0})
    assert (result.score, result.max_score) == (4, 8)
    with pytest.raises(ValueError):
        rubric_score(rubric, {"crit-evidence": 2})


def _querydict(data):
    from django.http import QueryDict

    qd = QueryDict(mutable=True)
    for key, value in data.items():
        if isinstance(value, list):
            qd.setlist(key, value)
        else:
            qd[key] = value
    return qd


# --- Pages ---------------------------------------------------------------------------------------


def test_workbook_page_renders_sections_and_rubric(workbook_course, learner_client, enrolled):
    _tree, page = workbook_course
    html = learner_client.get(page.url).content.decode()
    assert "Diagnosis" in html and "Partners" in html and "Evidence" in html
    assert _url(page) in html


def test_edit_page_renders_every_field(workbook_course, learner_client, enrolled):
    _tree, page = workbook_course
    response = learner_client.get(_url(page))
    html = response.content.decode()
    assert response.status_code == 200
    for name in (
        'name="f-fld-assets"',
        'name="f-fld-ties-2-1"',
        'name="f-fld-priorities"',
        'name="f-fld-scoring-0-s1"',
        'name="f-fld-stakeholders-hh"',
        'name="f-fld-indicators-1-3"',
    ):
        assert name in html
    assert "<b>assets</b>" in html  # trainer's rich instructions
    assert 'name="version" value="0"' in html


def test_fill_save_reload(workbook_course, learner_client, enrolled):
    _tree, page = workbook_course
    response = _post(learner_client, page, FILLED, 0)
    assert response.status_code == 302
    html = learner_client.get(_url(page)).content.decode()
    assert "We host the regional port authority." in html
    assert 'value="Eurocities"' in html
    assert 'name="version" value="1"' in html
    assert "Last saved" in html


def test_autosave_answers_json(workbook_course, learner_client, enrolled):
    _tree, page = workbook_course
    response = _post(learner_client, page, FILLED, 0, headers={"X-Workbook-Autosave": "1"})
    assert response.status_code == 200
    assert response.json()["version"] == 1
    stale = _post(learner_client, page, FILLED, 0, headers={"X-Workbook-Autosave": "1"})
    assert stale.status_code == 409 and stale.json()["conflict"] is True


def test_two_tabs_stale_save_is_refused_and_nothing_lost(workbook_course, learner_client, enrolled):
    _tree, page = workbook_course
    _post(learner_client, page, {"f-fld-assets": "Tab one text"}, 0)
    response = _post(learner_client, page, {"f-fld-assets": "Tab two text"}, 0)
    html = response.content.decode()
    assert response.status_code == 409
    assert "were not saved" in html
    assert "Tab two text" in html  # the refused text is shown to copy
    assert "Tab one text" in html  # the form shows the saved version
    assert 'name="version" value="1"' in html
    workbook = Workbook.objects.get()
    assert workbook.answers["fld-assets"] == "Tab one text" and workbook.version == 1


def test_oversized_input_refused_with_nothing_lost(workbook_course, learner_client, enrolled):
    _tree, page = workbook_course
    _post(learner_client, page, {"f-fld-assets": "Saved before"}, 0)
    long_text = "My long draft " + "z" * 600
    response = _post(learner_client, page, {"f-fld-assets": long_text}, 1)
    html = response.content.decode()
    assert response.status_code == 400
    assert "at most 500 allowed" in html
    assert long_text in html  # the posted text stays in the form
    assert Workbook.objects.get().answers["fld-assets"] == "Saved before"


def test_malformed_version_is_a_conflict_not_a_crash(workbook_course, learner_client, enrolled):
    _tree, page = workbook_course
    response = _post(learner_client, page, {"f-fld-assets": "Text"}, "abc")
    assert response.status_code == 409
    assert Workbook.objects.get().version == 0


def test_learner_text_is_escaped(workbook_course, learner_client, enrolled):
    _tree, page = workbook_course
    _post(learner_client, page, {"f-fld-assets": "<script>alert(1)</script>"}, 0)
    html = learner_client.get(_url(page)).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_not_enrolled_is_refused(workbook_course, learner_client):
    _tree, page = workbook_course
    assert learner_client.get(_url(page)).status_code == 403
    assert learner_client.get(page.url).status_code == 403


# --- Submit, review, resubmit, accept ------------------------------------------------------------


def test_submit_review_revise_resubmit_accept(
    workbook_course, learner, learner_client, enrolled, django_capture_on_commit_callbacks
):
    tree, page = workbook_course
    reviewer = UserFactory(is_superuser=True, is_staff=True, full_name="Tina Trainer")
    with django_capture_on_commit_callbacks(execute=True):
        response = _post(learner_client, page, FILLED, 0, action="submit")
    first = WorkbookSubmission.objects.get()
    assert response.status_code == 302 and first.number == 1
    assert first.status == SubmissionStatus.SUBMITTED
    assert first.snapshot["sections"][0]["heading"] == "Diagnosis"
    assert "received" in mail.outbox[-1].subject.lower()

    # While waiting for review the draft is locked.
    locked = _post(learner_client, page, {"f-fld-assets": "Edit"}, 1)
    assert locked.status_code == 302
    assert Workbook.objects.get().answers["fld-assets"] != "Edit"

    with django_capture_on_commit_callbacks(execute=True):
        _review_everything(reviewer, first, accept=False)
    first.refresh_from_db()
    assert first.status == SubmissionStatus.REVISE and first.score == 6
    assert "revise" in mail.outbox[-1].subject.lower()
    detail = learner_client.get(
        reverse("learn_workbook_submission", args=[first.workbook.public_id, 1])
    ).content.decode()
    assert "Name the port&#x27;s partners." in detail and "Please add a budget." in detail

    _post(learner_client, page, {**FILLED, "f-fld-assets": "Revised: with budget"}, 1)
    _post(learner_client, page, {**FILLED, "f-fld-assets": "Revised: with budget"}, 2, "submit")
    second = WorkbookSubmission.objects.get(number=2)
    assert second.answers["fld-assets"] == "Revised: with budget"
    first.refresh_from_db()
    assert first.answers["fld-assets"].startswith("We host")  # the earlier version is unchanged

    enrolment = Enrolment.objects.get(pk=enrolled.pk)
    assert enrolment.completed_at is None  # lessons not done, workbook not accepted
    with django_capture_on_commit_callbacks(execute=True):
        _review_everything(reviewer, second, accept=True)
    assert "accepted" in mail.outbox[-1].subject.lower()
    with pytest.raises(WorkbookRefused):
        _review_everything(reviewer, second, accept=True)  # a version is reviewed once


def test_completion_requires_accepted_workbook(workbook_course, learner, enrolled):
    from learners.progress.services import lesson_complete

    tree, page = workbook_course
    lesson_complete(user=learner, enrolment=enrolled, lesson=tree.lessons[0])
    enrolled.refresh_from_db()
    assert enrolled.completed_at is None
    workbook = workbook_open(user=learner, enrolment=enrolled, page=page)
    spec = workbook_spec(page)
    workbook = workbook_save(
        user=learner, workbook=workbook, spec=spec, data=_querydict(FILLED), expected_version=0
    )
    submission = workbook_submit(user=learner, workbook=workbook, spec=spec)
    reviewer = UserFactory(is_superuser=True, is_staff=True)
    _review_everything(reviewer, submission, accept=True)
    enrolled.refresh_from_db()
    assert enrolled.completed_at is not None
    certificate = Certificate.objects.get(enrolment=enrolled)
    assert certificate.capstone_title == page.title


def test_optional_workbook_does_not_block_completion(learner):
    from learners.progress.services import enrolment_create, lesson_complete

    tree = make_course(modules=1, lessons_per_module=1)
    make_workbook(tree.course, required_for_completion=False)
    enrolment, _ = enrolment_create(user=learner, course=tree.course)
    lesson_complete(user=learner, enrolment=enrolment, lesson=tree.lessons[0])
    enrolment.refresh_from_db()
    assert enrolment.completed_at is not None
    assert Certificate.objects.get(enrolment=enrolment).capstone_title == ""


def test_services_refuse_invalid_and_stale(workbook_course, learner, enrolled):
    _tree, page = workbook_course
    spec = workbook_spec(page)
    workbook = workbook_open(user=learner, enrolment=enrolled, page=page)
    with pytest.raises(WorkbookRefused):
        workbook_submit(user=learner, workbook=workbook, spec=spec)  # empty
    with pytest.raises(WorkbookInvalid):
        workbook_save(
            user=learner,
            workbook=workbook,
            spec=spec,
            data={"f-fld-assets": "x" * 900},
            expected_version=0,
        )
    workbook_save(
        user=learner, workbook=workbook, spec=spec, data={"f-fld-assets": "a"}, expected_version=0
    )
    with pytest.raises(WorkbookConflict) as conflict:
        workbook_save(
            user=learner,
            workbook=workbook,
            spec=spec,
            data={"f-fld-assets": "b"},
            expected_version=0,
        )
    assert conflict.value.parsed.answers["fld-assets"] == "b"
    assert conflict.value.current_version == 1


# --- Snapshots and exports -----------------------------------------------------------------------


def _submitted(learner, enrolled, page):
    spec = workbook_spec(page)
    workbook = workbook_open(user=learner, enrolment=enrolled, page=page)
    workbook = workbook_save(
        user=learner, workbook=workbook, spec=spec, data=_querydict(FILLED), expected_version=0
    )
    return workbook_submit(user=learner, workbook=workbook, spec=spec)


def test_snapshots_survive_deleting_the_workbook_page(
    workbook_course, learner, learner_client, enrolled
):
    _tree, page = workbook_course
    submission = _submitted(learner, enrolled, page)
    page.delete()
    submission.refresh_from_db()
    assert submission.workbook.page_id is None
    response = learner_client.get(
        reverse("learn_workbook_submission", args=[submission.workbook.public_id, 1])
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Diagnosis" in html and "We host the regional port authority." in html
    pdf = learner_client.get(reverse("learn_workbook_pdf", args=[submission.workbook.public_id]))
    assert pdf.status_code == 200


def test_pdf_and_docx_contain_the_learners_text(workbook_course, learner, learner_client, enrolled):
    _tree, page = workbook_course
    submission = _submitted(learner, enrolled, page)
    pdf = learner_client.get(reverse("learn_workbook_pdf", args=[submission.workbook.public_id]))
    assert pdf["Content-Type"] == "application/pdf"
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "We host the regional port authority." in text
    assert "Eurocities" in text and "Finance office" in text
    docx = learner_client.get(
        reverse("learn_workbook_docx", args=[submission.workbook.public_id]) + "?version=1"
    )
    document = Document(io.BytesIO(docx.content))
    body = "\n".join(p.text for p in document.paragraphs)
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    assert "Two universities." in body and "Climate" in body
    assert "Porto" in cells and "Eurocities" in cells and "11 / 15" in cells


# --- Permissions ---------------------------------------------------------------------------------


def test_another_learner_cannot_see_versions_or_exports(
    workbook_course, learner, other_learner, client, enrolled
):
    _tree, page = workbook_course
    submission = _submitted(learner, enrolled, page)
    client.force_login(other_learner)
    wid = submission.workbook.public_id
    for url in (
        reverse("learn_workbook_submission", args=[wid, 1]),
        reverse("learn_workbook_pdf", args=[wid]),
        reverse("learn_workbook_docx", args=[wid]) + "?version=1",
    ):
        assert client.get(url).status_code == 404


def _trainer_of(course):
    from django.contrib.auth.models import Group, Permission
    from wagtail.models import GroupPagePermission

    group = Group.objects.create(name=f"Trainers of {course.pk}")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    for codename in ("add_page", "change_page", "publish_page"):
        GroupPagePermission.objects.create(
            group=group, page=course, permission=Permission.objects.get(codename=codename)
        )
    trainer = UserFactory(is_staff=True)
    trainer.groups.add(group)
    return trainer


def test_review_queue_is_scoped_to_the_trainers_courses(workbook_course, learner, enrolled, client):
    tree, page = workbook_course
    submission = _submitted(learner, enrolled, page)
    own = _trainer_of(tree.course)
    other_tree = make_course(modules=1, lessons_per_module=1)
    outsider = _trainer_of(other_tree.course)

    client.force_login(own)
    queue = client.get(reverse("workbook_review_index"))
    assert queue.status_code == 200 and page.title in queue.content.decode()
    detail = client.get(reverse("workbook_review", args=[submission.pk]))
    assert detail.status_code == 200 and "We host the regional port authority." in (
        detail.content.decode()
    )
    response = client.post(
        reverse("workbook_review", args=[submission.pk]),
        {
            "level-crit-evidence": "2",
            "level-crit-feasibility": "1",
            "feedback-sec-diagnosis": "Clear.",
            "overall": "Accepted, well argued.",
            "decision": "accept",
        },
    )
    assert response.status_code == 302
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.ACCEPTED and submission.score == 8
    assert "100" in client.get(reverse("workbook_review_index")).content.decode()  # average

    client.force_login(outsider)
    assert page.title not in client.get(reverse("workbook_review_index")).content.decode()
    assert client.get(reverse("workbook_review", args=[submission.pk])).status_code == 404


def test_review_form_refuses_missing_levels(workbook_course, learner, enrolled, client):
    tree, page = workbook_course
    submission = _submitted(learner, enrolled, page)
    client.force_login(_trainer_of(tree.course))
    response = client.post(
        reverse("workbook_review", args=[submission.pk]),
        {"level-crit-evidence": "2", "overall": "Keep my words", "decision": "revise"},
    )
    assert response.status_code == 400
    assert "Keep my words" in response.content.decode()
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.SUBMITTED


def test_hr_officer_cannot_read_content(workbook_course, learner, enrolled, client):
    from learners.models import HROfficerRole

    _tree, page = workbook_course
    submission = _submitted(learner, enrolled, page)
    officer = UserFactory(organisation=learner.organisation)
    HROfficerRole.objects.create(user=officer, organisation=learner.organisation)
    client.force_login(officer)
    assert (
        client.get(
            reverse("learn_workbook_submission", args=[submission.workbook.public_id, 1])
        ).status_code
        == 404
    )
    pdf_url = reverse("learn_workbook_pdf", args=[submission.workbook.public_id])
    assert client.get(pdf_url).status_code == 404


def test_the_workbook_requirement_is_registered_for_every_rule():
    from learners.progress import services
    from learners.workbooks.selectors import required_workbooks_accepted

    assert required_workbooks_accepted in services.EVERY_RULE_REQUIREMENTS


def test_hr_sees_the_status_not_the_content(workbook_course, learner, enrolled, client):
    from learners.models import HROfficerRole

    _tree, page = workbook_course
    submission = _submitted(learner, enrolled, page)
    officer = UserFactory(organisation=learner.organisation)
    HROfficerRole.objects.create(user=officer, organisation=learner.organisation)
    client.force_login(officer)
    html = client.get(reverse("hr_learner", args=[learner.pk])).content.decode()
    assert page.title in html and submission.get_status_display() in html
    assert "We host the regional port authority." not in html


def test_a_refused_oversized_save_keeps_the_version_the_learner_started_from(
    workbook_course, learner_client, enrolled
):
    _tree, page = workbook_course
    _post(learner_client, page, {"f-fld-assets": "Saved in another tab"}, 0)
    response = _post(learner_client, page, {"f-fld-assets": "y" * 600}, 0)
    assert response.status_code == 400
    assert 'name="version" value="0"' in response.content.decode()


def test_the_certificate_pdf_names_the_capstone(
    workbook_course, learner, enrolled, django_capture_on_commit_callbacks
):
    from learners.progress.services import lesson_complete

    tree, page = workbook_course
    lesson_complete(user=learner, enrolment=enrolled, lesson=tree.lessons[0])
    submission = _submitted(learner, enrolled, page)
    with django_capture_on_commit_callbacks(execute=True):
        _review_everything(UserFactory(is_superuser=True), submission, accept=True)
    certificate = Certificate.objects.get(enrolment=enrolled)
    with certificate.pdfs.get().file.open("rb") as handle:
        text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(handle.read())).pages)
    assert page.title in " ".join(text.split())


def _queue_queries(user) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from learners.workbooks.selectors import review_queue

    with CaptureQueriesContext(connection) as captured:
        review_queue(user)
    return len(captured)


def test_review_queue_costs_the_same_for_one_or_many_submissions(workbook_course, learner):
    from learners.progress.services import enrolment_create

    tree, page = workbook_course
    enrolment, _ = enrolment_create(user=learner, course=tree.course)
    _submitted(learner, enrolment, page)
    reviewer = _trainer_of(tree.course)
    _queue_queries(reviewer)  # the first call also loads the reviewer's group permissions
    one = _queue_queries(reviewer)
    for _ in range(4):
        person = UserFactory()
        other, _ = enrolment_create(user=person, course=tree.course)
        _submitted(person, other, page)
    make_workbook(tree.course, title="Second workbook")
    assert _queue_queries(reviewer) == one
