from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from wagtail.users.apps import WagtailUsersAppConfig


class LearnersConfig(AppConfig):
    default = True  # this module also holds LearnersUsersConfig
    name = "learners"
    verbose_name = _("Learners")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from learners.services.certificates import on_course_completed
        from learners.signals import course_completed

        course_completed.connect(on_course_completed, dispatch_uid="certificate_issue")
        from learners import hr_signals  # noqa: F401  (connects the HR receivers)


class LearnersUsersConfig(WagtailUsersAppConfig):
    """Replaces `wagtail.users` in INSTALLED_APPS so Wagtail's user admin uses our forms."""

    user_viewset = "learners.admin_viewsets.UserViewSet"

    def ready(self):
        super().ready()
        # Wagtail offers no hook to replace the built-in "Name and Email" account panel, whose
        # form assumes first_name/last_name fields; swap its form for one with our full name.
        from wagtail.admin.views.account import NameEmailSettingsPanel

        from learners.admin_forms import AccountNameEmailForm

        NameEmailSettingsPanel.form_class = AccountNameEmailForm
