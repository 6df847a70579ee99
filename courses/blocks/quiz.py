"""StreamField blocks trainers compose quizzes from: one StructBlock per question type."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.blocks.struct_block import StructBlockValidationError
from wagtail.snippets.blocks import SnippetChooserBlock


class ChoiceOptionBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("Choice"), max_length=400)
    correct = blocks.BooleanBlock(label=_("Correct"), required=False)
    # Optional texts default to "" (not None): wagtail-localize extracts every text of a
    # question as a segment to translate, and refuses a missing one.
    feedback = blocks.TextBlock(
        label=_("Feedback"),
        required=False,
        default="",
        help_text=_("Shown with the full review after submitting, never before."),
    )


class MatchingPairBlock(blocks.StructBlock):
    prompt = blocks.CharBlock(label=_("Prompt"), max_length=300)
    match = blocks.CharBlock(label=_("Matching answer"), max_length=300)


class QuestionBlock(blocks.StructBlock):
    """Fields every question has."""

    text = blocks.TextBlock(label=_("Question"))
    points = blocks.IntegerBlock(label=_("Points"), default=1, min_value=1, max_value=100)
    explanation = blocks.TextBlock(
        label=_("Explanation"),
        required=False,
        default="",
        help_text=_("Shown with the full review after submitting."),
    )
    # Free text rather than a link to the course's outcomes: outcomes are a StreamField on the
    # course page without stable ids, and a trainer can type "LO3" without developer help.
    outcome = blocks.CharBlock(
        label=_("Learning outcome"),
        max_length=200,
        required=False,
        default="",
        help_text=_(
            "The course learning outcome this question assesses: “LO” and its number in the "
            "course's list of learning outcomes (for example “LO3” for the third), or the "
            "outcome's full text. Never shown to learners."
        ),
    )


def _refuse(field: str, message) -> None:
    raise StructBlockValidationError(block_errors={field: ValidationError(message)})


class SingleChoiceBlock(QuestionBlock):
    choices = blocks.ListBlock(ChoiceOptionBlock(), min_num=2, label=_("Choices"))

    class Meta:
        icon = "radio-full"
        label = _("Single choice")

    def clean(self, value):
        value = super().clean(value)
        correct = sum(1 for choice in value["choices"] if choice["correct"])
        if correct != 1:
            _refuse("choices", _("Mark exactly one choice as correct."))
        return value


class MultipleChoiceBlock(QuestionBlock):
    scoring = blocks.ChoiceBlock(
        choices=[
            ("all_or_nothing", _("All or nothing")),
            ("partial", _("Partial credit")),
        ],
        default="all_or_nothing",
        label=_("Scoring"),
    )
    choices = blocks.ListBlock(ChoiceOptionBlock(), min_num=2, label=_("Choices"))

    class Meta:
        icon = "tasks"
        label = _("Multiple choice")

    def clean(self, value):
        value = super().clean(value)
        if not any(choice["correct"] for choice in value["choices"]):
            _refuse("choices", _("Mark at least one choice as correct."))
        return value


class TrueFalseBlock(QuestionBlock):
    correct = blocks.ChoiceBlock(
        choices=[("true", _("True")), ("false", _("False"))], label=_("Correct answer")
    )
    feedback_true = blocks.TextBlock(label=_("Feedback for “True”"), required=False, default="")
    feedback_false = blocks.TextBlock(label=_("Feedback for “False”"), required=False, default="")

    class Meta:
        icon = "tick"
        label = _("True or false")


class ShortTextBlock(QuestionBlock):
    accepted_answers = blocks.ListBlock(
        blocks.CharBlock(label=_("Accepted answer"), max_length=200),
        min_num=1,
        label=_("Accepted answers"),
        help_text=_("Matched ignoring case, accents and extra spaces."),
    )

    class Meta:
        icon = "pilcrow"
        label = _("Short text answer")


class MatchingBlock(QuestionBlock):
    pairs = blocks.ListBlock(MatchingPairBlock(), min_num=2, label=_("Pairs"))

    class Meta:
        icon = "list-ul"
        label = _("Matching pairs")


class QuizQuestionsBlock(blocks.StreamBlock):
    single_choice = SingleChoiceBlock()
    multiple_choice = MultipleChoiceBlock()
    true_false = TrueFalseBlock()
    short_text = ShortTextBlock()
    matching = MatchingBlock()


class BankDrawBlock(blocks.StructBlock):
    """Questions drawn at random from a bank each time a learner starts an attempt."""

    bank = SnippetChooserBlock("courses.QuestionBank", label=_("Question bank"))
    outcome = blocks.CharBlock(
        label=_("Only questions for the learning outcome"),
        max_length=200,
        required=False,
        default="",
        help_text=_("For example “LO3”. Leave empty to draw from every question in the bank."),
    )
    count = blocks.IntegerBlock(label=_("Questions to draw"), default=3, min_value=1, max_value=100)

    class Meta:
        icon = "list-ul"
        label = _("Draw from a question bank")


class BankDrawsBlock(blocks.StreamBlock):
    draw = BankDrawBlock()
