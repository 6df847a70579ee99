from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from wagtail.users.apps import WagtailUsersAppConfig


class LearnersConfig(AppConfig):
    default = True  # this module also holds LearnersUsersConfig
    name = "learners"
    verbose_name = _("Learners")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # `<id:…>` in every URL of learners (and its admin views): a bounded integer, so an id
        # beyond 64 bits is a 404 instead of a database overflow. Registered here, before any
        # URLconf or admin hook builds its patterns.
        from django.db.models.signals import post_save
        from django.urls import register_converter

        from learners.common.ids import IdConverter

        register_converter(IdConverter, "id")

        # The rooms' extension points are wired here, the one place that sees every room, so
        # that a lower room never imports a higher one (see docs/architecture.md).
        from learners.accounts import signals as account_signals  # noqa: F401  (SSO receiver)
        from learners.attempts.selectors import attach_quiz_extras, required_quizzes_passed
        from learners.certificates.models import Certificate
        from learners.certificates.services import on_course_completed
        from learners.credentials import checks as credential_checks  # noqa: F401  (system check)
        from learners.credentials.privacy import credentials_erase, credentials_export_files
        from learners.credentials.signals import on_certificate_saved
        from learners.hr import signals as hr_signals  # noqa: F401  (connects the HR receivers)
        from learners.hr.selectors import attach_assignment_extras
        from learners.hr.tallies import person_erasing
        from learners.privacy.contributors import (
            ExportFile,
            PrivacyContributor,
            privacy_contributor_register,
        )
        from learners.progress.selectors import dashboard_extras_register
        from learners.progress.services import completion_requirement_register
        from learners.progress.signals import course_completed
        from learners.scorm.selectors import attach_scorm_extras
        from learners.workbooks.selectors import required_workbooks_accepted
        from learners.xapi import signals as xapi_signals  # noqa: F401  (outbox and LRS cache)

        course_completed.connect(on_course_completed, dispatch_uid="certificate_issue")
        # LTI grade passback: completions and quiz scores go back to the launching platform.
        from learners.lti import signals as lti_signals
        from learners.progress.signals import activity_recorded

        course_completed.connect(lti_signals.on_course_completed, dispatch_uid="lti_completion")
        activity_recorded.connect(lti_signals.on_activity_recorded, dispatch_uid="lti_quiz_score")
        # Every certificate is also an Open Badges 3.0 credential; withdrawing a certificate
        # re-publishes its status list.
        post_save.connect(on_certificate_saved, sender=Certificate, dispatch_uid="credential_issue")
        completion_requirement_register(required_quizzes_passed)
        completion_requirement_register(required_workbooks_accepted, every_rule=True)
        dashboard_extras_register(attach_quiz_extras)
        dashboard_extras_register(attach_scorm_extras)
        dashboard_extras_register(attach_assignment_extras)
        # An erased person stays in the HR figures (their training happened).
        privacy_contributor_register(PrivacyContributor(name="hr-tallies", erase=person_erasing))
        privacy_contributor_register(
            PrivacyContributor(
                name="credentials",
                export=lambda user: [
                    ExportFile(name, content, description)
                    for name, content, description in credentials_export_files(user)
                ],
                erase=credentials_erase,
            )
        )
        _register_scorm_privacy()
        _register_lti_privacy()
        _connect_learner_page_state()


# Rows of learners models that no course or lesson page shows, written in bulk or on every event:
# connecting them would cost a signal per row (and turn Django's fast bulk deletes of the
# activity log and the outbox into row-by-row deletes).
_NOT_ON_LEARNER_PAGES = {
    "activityevent",  # the activity log: every event comes with the write it records
    "outboxentry",  # xAPI forwarding queue
    "ltinonce",  # used LTI nonces
    "hrtally",  # HR figures, kept per organisation
    "hrdaytally",
    "exportjob",  # HR exports
}


def _connect_learner_page_state() -> None:
    """Any save or delete of a learners row replaces the learner-state version of the people it
    belongs to, so their cached course and lesson pages are stale (learners/common/page_state.py).
    Writes that send no signal (`QuerySet.update()`, `bulk_create()`) call
    `learner_pages_changed` themselves."""
    from django.apps import apps
    from django.db.models.signals import post_delete, post_save

    from learners.common.page_state import learner_model_saved

    models = [
        model
        for model in apps.get_app_config("learners").get_models()
        if model._meta.model_name not in _NOT_ON_LEARNER_PAGES
    ]
    if apps.is_installed("allauth.account"):
        models.append(apps.get_model("account", "EmailAddress"))  # verified address: enrolment
    for model in models:
        label = model._meta.label_lower
        post_save.connect(learner_model_saved, sender=model, dispatch_uid=f"page_state_s_{label}")
        post_delete.connect(learner_model_saved, sender=model, dispatch_uid=f"page_state_d_{label}")


def _export_files(rows_for):
    """A contributor's `export` from a room's selector of (name, content, description) rows:
    rooms below `privacy` cannot build its ExportFile themselves."""
    from learners.privacy.contributors import ExportFile

    def export(user):
        return [
            ExportFile(name=name, content=content, description=description)
            for name, content, description in rows_for(user)
        ]

    return export


def _register_scorm_privacy() -> None:
    """The SCORM room holds CMI data (suspend data, interactions): it joins the learner's
    export, erasure and retention. `privacy` sits above it, so the adapter lives here."""
    from learners.privacy.contributors import PrivacyContributor, privacy_contributor_register
    from learners.scorm.selectors import scorm_export
    from learners.scorm.services import scorm_erase, scorm_purge

    privacy_contributor_register(
        PrivacyContributor(
            name="scorm",
            export=_export_files(scorm_export),
            erase=scorm_erase,
            purge=scorm_purge,
        )
    )


def _register_lti_privacy() -> None:
    """The LTI room links accounts to a platform's user id: export and erasure include them."""
    from learners.lti.selectors import lti_export
    from learners.lti.services import lti_erase, nonces_purge
    from learners.privacy.contributors import PrivacyContributor, privacy_contributor_register

    def purge(*, before):
        # Used nonces are kept for their own short period (NONCE_KEEP, longer than any
        # id_token lives), not the activity log's: the daily purge_expired_records drops them.
        return nonces_purge()

    privacy_contributor_register(
        PrivacyContributor(
            name="lti", export=_export_files(lti_export), erase=lti_erase, purge=purge
        )
    )


class LearnersUsersConfig(WagtailUsersAppConfig):
    """Replaces `wagtail.users` in INSTALLED_APPS so Wagtail's user admin uses our forms."""

    user_viewset = "learners.accounts.admin.UserViewSet"

    def ready(self):
        super().ready()
        # Wagtail offers no hook to replace the built-in "Name and Email" account panel, whose
        # form assumes first_name/last_name fields; swap its form for one with our full name.
        from wagtail.admin.views.account import NameEmailSettingsPanel

        from learners.accounts.admin import AccountNameEmailForm

        NameEmailSettingsPanel.form_class = AccountNameEmailForm
