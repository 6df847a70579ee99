from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import StreamField
from wagtail.search import index

from courses.blocks.quiz import QuizQuestionsBlock


class QuestionBank(index.Indexed, models.Model):
    """Questions kept apart from any one quiz, so several quizzes (and several courses) can draw
    from them. Each question carries its learning outcome; quizzes draw by outcome and count."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    course = models.ForeignKey(
        "courses.CoursePage",
        verbose_name=_("course"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="question_banks",
        help_text=_("The course these questions belong to; empty for questions any course uses."),
    )
    description = models.TextField(_("description"), blank=True)
    questions = StreamField(QuizQuestionsBlock(), verbose_name=_("questions"), blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    panels = [
        FieldPanel("name"),
        FieldPanel("course"),
        FieldPanel("description"),
        FieldPanel("questions"),
    ]
    search_fields = [index.SearchField("name"), index.SearchField("description")]

    class Meta:
        verbose_name = _("question bank")
        verbose_name_plural = _("question banks")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def question_count(self) -> int:
        return len(self.questions.raw_data)
