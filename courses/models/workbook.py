from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from courses.blocks.lesson import RICH_FEATURES
from courses.blocks.workbook import WORKBOOK_TOTAL_VALIDATORS, RubricBlock, WorkbookSectionsBlock


class WorkbookPage(Page):
    """A capstone workbook: sections a learner fills over several visits, reviewed by a trainer.

    It sits directly under a course, after the modules. Learners' answers live in `learners`
    (keyed by the fields' block ids); this page only says what is asked and how it is judged.
    """

    intro = RichTextField(_("introduction"), blank=True, features=RICH_FEATURES)
    sections = StreamField(WorkbookSectionsBlock(), verbose_name=_("sections"), blank=True)
    rubric = StreamField(
        RubricBlock(),
        verbose_name=_("rubric"),
        blank=True,
        help_text=_("The criteria a reviewer scores, each with its levels and their points."),
    )
    estimated_hours = models.DecimalField(
        _("estimated hours"),
        max_digits=4,
        decimal_places=1,
        default=2,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text=_("Counted in the course's study time."),
    )
    max_total_chars = models.PositiveIntegerField(
        _("maximum length of the whole workbook (characters)"),
        default=60_000,
        validators=WORKBOOK_TOTAL_VALIDATORS,
    )
    required_for_completion = models.BooleanField(
        _("requires an accepted workbook"),
        default=False,
        help_text=_(
            "The course completes (and its certificate is issued) only once a reviewer has "
            "accepted this workbook; the certificate then names it."
        ),
    )

    search_fields = Page.search_fields + [index.SearchField("intro")]
    content_panels = Page.content_panels + [
        FieldPanel("intro"),
        FieldPanel("sections"),
        FieldPanel("rubric"),
    ]
    settings_panels = Page.settings_panels + [
        MultiFieldPanel(
            [
                FieldPanel("estimated_hours"),
                FieldPanel("max_total_chars"),
                FieldPanel("required_for_completion"),
            ],
            heading=_("Rules"),
        ),
    ]
    parent_page_types = ["courses.CoursePage"]
    subpage_types = []

    class Meta:
        verbose_name = _("workbook")
