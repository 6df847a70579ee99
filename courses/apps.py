from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoursesConfig(AppConfig):
    name = "courses"
    verbose_name = _("Courses")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Cached outlines and routes go stale when trainers change pages (courses/signals.py).
        from courses import signals

        signals.connect()
        # A translated page is authored and reviewed like its source (courses/translations.py).
        from courses import translations

        translations.connect()
