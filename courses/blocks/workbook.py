"""StreamField blocks of a workbook: sections of instructions and the fields a learner fills.

Every field is a child of a StreamBlock, so it carries a stable block id: the learner's answers
are keyed by those ids and survive a trainer reordering or retitling the fields.
"""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext_lazy as _
from wagtail import blocks

from courses.blocks.lesson import RICH_FEATURES

# The largest answers a trainer may allow; the learner side enforces them as hard limits.
LONG_TEXT_MAX = 20_000
CELL_MAX = 1_000
ROWS_MAX = 30


class _FieldBase(blocks.StructBlock):
    label = blocks.CharBlock(label=_("Label"), max_length=200)
    help_text = blocks.TextBlock(label=_("Help for the learner"), required=False, max_length=600)


class LongTextFieldBlock(_FieldBase):
    max_length = blocks.IntegerBlock(
        label=_("Maximum length (characters)"),
        default=4000,
        min_value=100,
        max_value=LONG_TEXT_MAX,
    )
    seed_from_lesson = blocks.PageChooserBlock(
        page_type="courses.LessonPage",
        required=False,
        label=_("Start from the learner's reflections in this lesson"),
        help_text=_(
            "When the field is empty, the learner may copy in what they wrote in the lesson's "
            "reflection boxes."
        ),
    )

    class Meta:
        icon = "doc-full"
        label = _("Long text")


class TableFieldBlock(_FieldBase):
    columns = blocks.ListBlock(
        blocks.CharBlock(label=_("Column"), max_length=80), min_num=1, max_num=8, label=_("Columns")
    )
    max_rows = blocks.IntegerBlock(
        label=_("Rows at most"), default=6, min_value=1, max_value=ROWS_MAX
    )

    class Meta:
        icon = "table"
        label = _("Table")


class ChoiceFieldBlock(_FieldBase):
    choices = blocks.ListBlock(
        blocks.CharBlock(label=_("Choice"), max_length=200), min_num=2, label=_("Choices")
    )
    multiple = blocks.BooleanBlock(
        label=_("Learners may pick several"), required=False, default=True
    )

    class Meta:
        icon = "list-ul"
        label = _("Choice list")


class CriterionBlock(blocks.StructBlock):
    name = blocks.CharBlock(label=_("Criterion"), max_length=80)
    weight = blocks.IntegerBlock(label=_("Weight"), default=1, min_value=1, max_value=10)


class ScoredMatrixFieldBlock(_FieldBase):
    """Rows the learner names (partners, options) scored 1–5 against weighted criteria."""

    row_label = blocks.CharBlock(label=_("What a row is"), max_length=80, default="Partner")
    criteria = blocks.ListBlock(CriterionBlock(), min_num=1, max_num=8, label=_("Criteria"))
    max_rows = blocks.IntegerBlock(
        label=_("Rows at most"), default=5, min_value=1, max_value=ROWS_MAX
    )

    class Meta:
        icon = "form"
        label = _("Scored matrix")


class GridFieldBlock(_FieldBase):
    """A 2×2 grid, such as stakeholders by interest and influence."""

    x_axis = blocks.CharBlock(label=_("Horizontal axis"), max_length=60, default="Interest")
    y_axis = blocks.CharBlock(label=_("Vertical axis"), max_length=60, default="Influence")
    max_length = blocks.IntegerBlock(
        label=_("Maximum length per quarter (characters)"),
        default=1500,
        min_value=100,
        max_value=LONG_TEXT_MAX,
    )

    class Meta:
        icon = "grip"
        label = _("2×2 grid")


class IndicatorTableFieldBlock(_FieldBase):
    """Monitoring indicators: indicator, baseline, target, source of the data."""

    max_rows = blocks.IntegerBlock(
        label=_("Rows at most"), default=6, min_value=1, max_value=ROWS_MAX
    )

    class Meta:
        icon = "table"
        label = _("Indicator table")


class WorkbookFieldsBlock(blocks.StreamBlock):
    long_text = LongTextFieldBlock()
    table = TableFieldBlock()
    choice = ChoiceFieldBlock()
    scored_matrix = ScoredMatrixFieldBlock()
    grid = GridFieldBlock()
    indicator_table = IndicatorTableFieldBlock()

    class Meta:
        required = False


class WorkbookSectionBlock(blocks.StructBlock):
    heading = blocks.CharBlock(label=_("Heading"), max_length=200)
    instructions = blocks.RichTextBlock(
        label=_("Instructions"), features=RICH_FEATURES, required=False
    )
    fields = WorkbookFieldsBlock(label=_("Fields the learner fills"))

    class Meta:
        icon = "folder-open-inverse"
        label = _("Section")


class WorkbookSectionsBlock(blocks.StreamBlock):
    section = WorkbookSectionBlock()


class RubricLevelBlock(blocks.StructBlock):
    label = blocks.CharBlock(label=_("Level"), max_length=80)
    points = blocks.IntegerBlock(label=_("Points"), min_value=0, max_value=100)
    description = blocks.TextBlock(label=_("What it looks like"), required=False, max_length=600)


class RubricCriterionBlock(blocks.StructBlock):
    name = blocks.CharBlock(label=_("Criterion"), max_length=200)
    description = blocks.TextBlock(label=_("Description"), required=False, max_length=600)
    levels = blocks.ListBlock(RubricLevelBlock(), min_num=2, max_num=6, label=_("Levels"))

    class Meta:
        icon = "tick"
        label = _("Rubric criterion")


class RubricBlock(blocks.StreamBlock):
    criterion = RubricCriterionBlock()


# Validators the page model uses for its numeric fields (kept with the limits they guard).
WORKBOOK_TOTAL_VALIDATORS = [MinValueValidator(1_000), MaxValueValidator(200_000)]
