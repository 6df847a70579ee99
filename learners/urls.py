from django.urls import path

from learners.accounts import hr_views as members
from learners.attempts import views as quizzes
from learners.certificates import transcript_views
from learners.certificates import views as certificates
from learners.credentials import views as credentials
from learners.hr import views as hr
from learners.journal import views as journal
from learners.lti import urls as lti_urls
from learners.privacy import views as privacy
from learners.progress import views as learning
from learners.scorm import views as scorm
from learners.workbooks import views as workbooks
from learners.xapi import views as xapi

urlpatterns = [
    path("learn/", learning.dashboard, name="learn_dashboard"),
    path("learn/transcript/", transcript_views.transcript, name="learn_transcript"),
    path("learn/transcript.pdf", transcript_views.transcript_pdf, name="learn_transcript_pdf"),
    path("learn/courses/<id:course_id>/enrol/", learning.enrol, name="learn_enrol"),
    path(
        "learn/lessons/<id:lesson_id>/complete/",
        learning.complete_lesson,
        name="learn_complete_lesson",
    ),
    path("learn/quizzes/<id:quiz_id>/start/", quizzes.attempt_start, name="learn_quiz_start"),
    path("learn/attempts/<uuid:public_id>/", quizzes.attempt_take, name="learn_attempt"),
    path(
        "learn/attempts/<uuid:public_id>/result/",
        quizzes.attempt_result,
        name="learn_attempt_result",
    ),
    path("learn/workbooks/<id:page_id>/", workbooks.workbook_edit, name="learn_workbook"),
    path(
        "learn/workbooks/mine/<uuid:public_id>/v<id:number>/",
        workbooks.submission_detail,
        name="learn_workbook_submission",
    ),
    path(
        "learn/workbooks/mine/<uuid:public_id>/plan.pdf",
        workbooks.workbook_pdf,
        name="learn_workbook_pdf",
    ),
    path(
        "learn/workbooks/mine/<uuid:public_id>/plan.docx",
        workbooks.workbook_docx,
        name="learn_workbook_docx",
    ),
    path(
        "learn/scorm/<id:lesson_id>/content/<path:path>",
        scorm.content,
        name="learn_scorm_content",
    ),
    path("learn/scorm/<id:lesson_id>/commit/", scorm.commit, name="learn_scorm_commit"),
    path("learn/notes/", journal.my_notes, name="learn_notes"),
    path("learn/notes/export.csv", journal.notes_csv, name="learn_notes_csv"),
    path(
        "learn/notes/<id:lesson_id>/<slug:block_id>/",
        journal.note_save_view,
        name="learn_note_save",
    ),
    path("learn/courses/<id:course_id>/retake/", certificates.retake, name="learn_retake"),
    path("learn/certificates/<str:code>/pdf", certificates.certificate_pdf, name="certificate_pdf"),
    path(
        "learn/certificates/<str:code>/public-details",
        certificates.public_details,
        name="certificate_public_details",
    ),
    path(
        "learn/certificates/<str:code>/credential.json",
        credentials.holder_json,
        name="credential_holder_json",
    ),
    path(
        "learn/certificates/<str:code>/credential.jwt",
        credentials.holder_jwt,
        name="credential_holder_jwt",
    ),
    path(
        "learn/certificates/<str:code>/badge.svg",
        credentials.holder_badge,
        name="credential_holder_badge",
    ),
    path(
        "certificates/verify/<str:code>/credential.json",
        credentials.public_json,
        name="credential_public_json",
    ),
    path(
        "certificates/verify/<str:code>/credential.jwt",
        credentials.public_jwt,
        name="credential_public_jwt",
    ),
    path("certificates/verify/", certificates.verify_form, name="certificate_verify_form"),
    path("certificates/verify/<str:code>/", certificates.verify, name="certificate_verify"),
    path("learn/my-data/", privacy.my_data, name="privacy_my_data"),
    path("learn/my-data/export/", privacy.export_request, name="privacy_export_request"),
    path(
        "learn/my-data/download/<str:token>/",
        privacy.export_download,
        name="privacy_export_download",
    ),
    path("learn/my-data/xapi.json", xapi.my_statements, name="xapi_my_statements"),
    path("learn/my-data/delete/", privacy.account_delete, name="privacy_account_delete"),
    path("privacy-notice/", privacy.privacy_notice, name="privacy_notice"),
    path("hr/", hr.dashboard, name="hr_dashboard"),
    path("hr/export.csv", hr.export_csv, name="hr_export_csv"),
    path("hr/export.xlsx", hr.export_xlsx, name="hr_export_xlsx"),
    path("hr/exports/", hr.exports, name="hr_exports"),
    path("hr/matrix/", hr.matrix, name="hr_matrix"),
    path("hr/matrix/export.csv", hr.matrix_export_csv, name="hr_matrix_export_csv"),
    path("hr/matrix/export.xlsx", hr.matrix_export_xlsx, name="hr_matrix_export_xlsx"),
    path("hr/exports/status/", hr.exports_status, name="hr_exports_status"),
    path("hr/exports/download/<str:token>/", hr.export_download, name="hr_export_download"),
    path("hr/learners/<id:user_id>/", hr.learner_detail, name="hr_learner"),
    path(
        "hr/learners/<id:user_id>/department/",
        hr.learner_department,
        name="hr_learner_department",
    ),
    path(
        "hr/learners/<id:user_id>/xapi.json",
        xapi.hr_learner_statements,
        name="xapi_hr_learner_statements",
    ),
    path("hr/members/", members.members, name="hr_members"),
    path(
        "hr/members/requests/<id:request_id>/decide/",
        members.request_decide,
        name="hr_member_request_decide",
    ),
    path("hr/members/invite/", members.invite, name="hr_member_invite"),
    path("hr/members/invite/csv/", members.invite_csv, name="hr_member_invite_csv"),
    path("hr/assignments/", hr.assignments, name="hr_assignments"),
    path("hr/assignments/new/", hr.assignment_new, name="hr_assignment_new"),
]

# What other systems fetch by a fixed address: the Open Badges issuer profile, its status lists
# and the key set; the LTI tool's endpoints. Credentials and platforms name these URLs, so they
# carry no language prefix (cms/urls.py).
machine_urlpatterns = [
    path("credentials/issuer", credentials.issuer, name="credentials_issuer"),
    path(
        "credentials/status/<id:number>",
        credentials.status_list,
        name="credentials_status_list",
    ),
    path(".well-known/jwks.json", credentials.jwks, name="credentials_jwks"),
    # LTI 1.3: key set, login initiation, launch, deep-linking choice (learners/lti).
    *lti_urls.urlpatterns,
]
