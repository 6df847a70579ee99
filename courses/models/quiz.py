from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index

from courses.blocks.quiz import BankDrawsBlock, QuizQuestionsBlock
from courses.models.privacy import CachedViewRestrictionsMixin


class ReviewPolicy(models.TextChoices):
    SCORE_ONLY = "score_only", _("Score only")
    SCORE_AND_CORRECTNESS = "score_and_correctness", _("Score and which questions were right")
    FULL_REVIEW = "full_review", _("Full review with correct answers and explanations")


class QuizPage(CachedViewRestrictionsMixin, Page):
    """A module quiz, or (directly under a course) the course's final assessment."""

    intro = models.TextField(_("introduction"), blank=True)
    questions = StreamField(QuizQuestionsBlock(), verbose_name=_("questions"), blank=True)
    bank_draws = StreamField(
        BankDrawsBlock(),
        verbose_name=_("questions from banks"),
        blank=True,
        help_text=_(
            "Each attempt also draws these questions at random from question banks, after the "
            "quiz's own questions."
        ),
    )
    pass_mark = models.PositiveSmallIntegerField(
        _("pass mark (%)"),
        default=70,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    attempts_allowed = models.PositiveSmallIntegerField(
        _("attempts allowed"), default=0, help_text=_("0 means unlimited.")
    )
    time_limit_minutes = models.PositiveSmallIntegerField(
        _("time limit (minutes)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(600)],
        help_text=_("Leave empty for no time limit."),
    )
    shuffle_questions = models.BooleanField(_("shuffle questions"), default=False)
    shuffle_choices = models.BooleanField(_("shuffle choices"), default=False)
    draw_count = models.PositiveSmallIntegerField(
        _("questions drawn per attempt"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_("Draw this many questions at random from the pool; empty uses them all."),
    )
    review_policy = models.CharField(
        _("after submitting, show"),
        max_length=30,
        choices=ReviewPolicy.choices,
        default=ReviewPolicy.FULL_REVIEW,
    )
    required_for_completion = models.BooleanField(
        _("required for course completion"),
        default=False,
        help_text=_(
            "When the course's completion rule includes quizzes, learners must pass this one."
        ),
    )

    search_fields = Page.search_fields + [index.SearchField("intro")]
    content_panels = Page.content_panels + [
        FieldPanel("intro"),
        MultiFieldPanel(
            [
                FieldPanel("pass_mark"),
                FieldPanel("attempts_allowed"),
                FieldPanel("time_limit_minutes"),
                FieldPanel("shuffle_questions"),
                FieldPanel("shuffle_choices"),
                FieldPanel("draw_count"),
                FieldPanel("review_policy"),
                FieldPanel("required_for_completion"),
            ],
            heading=_("Rules"),
        ),
        FieldPanel("questions"),
        FieldPanel("bank_draws"),
    ]
    parent_page_types = ["courses.ModulePage", "courses.CoursePage"]
    subpage_types = []

    class Meta:
        verbose_name = _("quiz")
        permissions = [("view_quiz_reports", _("Can view quiz reports"))]

    def clean(self):
        super().clean()
        pool = len(self.questions) + self.bank_draw_total
        if self.draw_count and self.draw_count > pool:
            raise ValidationError(
                {
                    "draw_count": ngettext(
                        "Cannot draw %(n)d question from a pool of %(pool)d.",
                        "Cannot draw %(n)d questions from a pool of %(pool)d.",
                        self.draw_count,
                    )
                    % {"n": self.draw_count, "pool": pool}
                }
            )

    @property
    def bank_draw_total(self) -> int:
        """Questions the bank draws add to each attempt (at most: a bank may hold fewer)."""
        return sum(int(draw["value"].get("count") or 0) for draw in self.bank_draws.raw_data)

    @property
    def question_count(self) -> int:
        """Questions in one attempt."""
        pool = len(self.questions) + self.bank_draw_total
        return min(self.draw_count, pool) if self.draw_count else pool
