from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LearnersConfig(AppConfig):
    name = "learners"
    verbose_name = _("Learners")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from learners.services.certificates import on_course_completed
        from learners.signals import course_completed

        course_completed.connect(on_course_completed, dispatch_uid="certificate_issue")
        from learners import hr_signals  # noqa: F401  (connects the HR receivers)
