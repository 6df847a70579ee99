from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from wagtail import blocks
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from courses.models.privacy import CachedViewRestrictionsMixin


class Level(models.TextChoices):
    INTRODUCTORY = "introductory", _("Introductory")
    INTERMEDIATE = "intermediate", _("Intermediate")
    ADVANCED = "advanced", _("Advanced")


class EnrolmentPolicy(models.TextChoices):
    OPEN = "open", _("Any signed-in learner may enrol")
    ASSIGNED = "assigned", _("Only learners assigned by HR")


class CompletionRule(models.TextChoices):
    LESSONS = "lessons", _("All lessons complete")
    LESSONS_AND_QUIZZES = (
        "lessons_and_quizzes",
        _("All lessons complete and required quizzes passed"),
    )


class CoursePage(CachedViewRestrictionsMixin, Page):
    # The same for every anonymous visitor: served from the cache (courses/page_cache.py).
    anonymous_page_cache = True
    # Per signed-in learner too, keyed on their learner state (learners/progress/page_cache.py).
    learner_page_cache = True

    summary = models.TextField(_("summary"), max_length=600)
    description = RichTextField(
        _("description"), blank=True, features=["bold", "italic", "link", "ol", "ul", "h3"]
    )
    learning_outcomes = StreamField(
        [("outcome", blocks.CharBlock(label=_("Outcome"), max_length=300))],
        blank=True,
        verbose_name=_("learning outcomes"),
    )
    audience = models.TextField(_("who it is for"), blank=True)
    prerequisites = models.TextField(_("prerequisites"), blank=True)
    estimated_hours = models.DecimalField(
        _("estimated hours"),
        max_digits=5,
        decimal_places=1,
        default=1,
        validators=[MinValueValidator(0)],
    )
    level = models.CharField(
        _("level"), max_length=20, choices=Level.choices, default=Level.INTRODUCTORY
    )
    language = models.CharField(
        _("language"), max_length=10, choices=settings.LANGUAGES, default="en"
    )
    topics = ParentalManyToManyField("courses.Topic", blank=True, verbose_name=_("topics"))
    cover_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("cover image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    cover_image_alt = models.CharField(
        _("cover image alternative text"),
        max_length=250,
        blank=True,
        help_text=_("Leave empty if the image is purely decorative."),
    )
    enrolment_policy = models.CharField(
        _("enrolment"),
        max_length=20,
        choices=EnrolmentPolicy.choices,
        default=EnrolmentPolicy.OPEN,
    )
    first_lesson_preview = models.BooleanField(
        _("open the first lesson as a preview"),
        default=False,
        help_text=_("Visitors who are not enrolled may read the first lesson."),
    )
    completion_rule = models.CharField(
        _("completion rule"),
        max_length=30,
        choices=CompletionRule.choices,
        default=CompletionRule.LESSONS,
    )
    certificate_validity_months = models.PositiveSmallIntegerField(
        _("certificate validity (months)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(240)],
        help_text=_("Leave empty for certificates that never expire."),
    )
    certificate_template = models.ForeignKey(
        "courses.CertificateTemplate",
        verbose_name=_("certificate template"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="courses",
        help_text=_("Leave empty to use the default template."),
    )

    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.SearchField("description"),
        index.SearchField("audience"),
        index.FilterField("level"),
        index.FilterField("language"),
    ]

    content_panels = Page.content_panels + [
        FieldPanel("summary"),
        FieldPanel("description"),
        FieldPanel("learning_outcomes"),
        FieldPanel("audience"),
        FieldPanel("prerequisites"),
        MultiFieldPanel(
            [
                FieldPanel("estimated_hours"),
                FieldPanel("level"),
                FieldPanel("language"),
                FieldPanel("topics"),
            ],
            heading=_("Catalogue details"),
        ),
        MultiFieldPanel(
            [FieldPanel("cover_image"), FieldPanel("cover_image_alt")], heading=_("Cover")
        ),
    ]
    settings_panels = Page.settings_panels + [
        MultiFieldPanel(
            [
                FieldPanel("enrolment_policy"),
                FieldPanel("first_lesson_preview"),
                FieldPanel("completion_rule"),
            ],
            heading=_("Enrolment and completion"),
        ),
        MultiFieldPanel(
            [FieldPanel("certificate_template"), FieldPanel("certificate_validity_months")],
            heading=_("Certificate"),
        ),
    ]

    parent_page_types = ["courses.CourseCataloguePage"]
    subpage_types = ["courses.ModulePage", "courses.QuizPage", "courses.WorkbookPage"]
    # The explorer lists modules in course order (tree order), not by last update.
    admin_default_ordering = "ord"

    class Meta:
        verbose_name = _("course")
