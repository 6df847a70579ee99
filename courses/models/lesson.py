from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index

from courses.blocks.lesson import LessonStreamBlock
from courses.models.forms import ValidateOnSaveDraftForm
from courses.models.privacy import CachedViewRestrictionsMixin


class ModulePage(CachedViewRestrictionsMixin, Page):
    """A group of lessons (and optionally a quiz) inside a course."""

    summary = models.TextField(_("summary"), blank=True)

    search_fields = Page.search_fields + [index.SearchField("summary")]
    content_panels = Page.content_panels + [FieldPanel("summary")]
    parent_page_types = ["courses.CoursePage"]
    subpage_types = ["courses.LessonPage", "courses.ScormLessonPage", "courses.QuizPage"]
    # Lessons in the order learners meet them. The outline always puts a module's quiz after
    # its lessons, so a lesson added after the quiz in the tree still comes before it.
    admin_default_ordering = "ord"

    class Meta:
        verbose_name = _("module")

    def serve(self, request, *args, **kwargs):
        # A module has no page of its own: the course outline presents it.
        from django.shortcuts import redirect

        return redirect(self.get_parent().url + f"#module-{self.pk}")


class LessonPage(CachedViewRestrictionsMixin, Page):
    # Whole page cached per enrolled learner and their learner state
    # (learners/progress/page_cache.py).
    learner_page_cache = True

    intro = models.TextField(_("introduction"), blank=True, max_length=500)
    estimated_minutes = models.PositiveSmallIntegerField(
        _("estimated minutes"),
        default=15,
        validators=[MinValueValidator(1), MaxValueValidator(600)],
    )
    body = StreamField(LessonStreamBlock(), verbose_name=_("body"))

    search_fields = Page.search_fields + [
        index.SearchField("intro"),
        index.SearchField("body"),
    ]
    base_form_class = ValidateOnSaveDraftForm
    content_panels = Page.content_panels + [
        FieldPanel("intro"),
        FieldPanel("estimated_minutes"),
        FieldPanel("body"),
    ]
    parent_page_types = ["courses.ModulePage"]
    subpage_types = []

    class Meta:
        verbose_name = _("lesson")
