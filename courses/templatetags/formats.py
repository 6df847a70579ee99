"""How numbers read on every page: one score format and one way of counting hours.

Scores were shown three ways (89.47 % on a result, 89.5 % on a certificate); every template and
the PDFs now go through `score_text`, so a learner sees the same number wherever it appears.
"""

from decimal import ROUND_HALF_UP, Decimal

from django import template
from django.utils.formats import number_format
from django.utils.translation import ngettext

register = template.Library()

# A no-break space keeps the number and its sign on one line (ISO 31-0 and the Spanish RAE both
# put a space before "%").
SCORE_FORMAT = "{number}\u00a0%"


def score_text(value) -> str:
    """A percentage with one decimal, in the active language's notation: "89.5 %", "89,5 %"."""
    if value is None or value == "":
        return ""
    # number_format cuts extra decimals off (89.47 would read 89.4); round half up first.
    rounded = Decimal(str(value)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return SCORE_FORMAT.format(number=number_format(rounded, decimal_pos=1, use_l10n=True))


def hours_text(value) -> str:
    """ "1 hour", "2 hours", "1.5 hours": the plural form comes from the language's catalogue."""
    if value is None or value == "":
        return ""
    hours = Decimal(str(value)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    whole = hours == hours.to_integral_value()
    shown = number_format(hours, decimal_pos=0 if whole else 1, use_l10n=True)
    # gettext's plural rules take integers; a fractional count ("1.5") reads as plural in the
    # languages we ship, so it is counted as 2.
    count = int(hours) if whole else 2
    return ngettext("%(hours)s hour", "%(hours)s hours", count) % {"hours": shown}


@register.filter
def score(value) -> str:
    return score_text(value)


@register.filter
def hours(value) -> str:
    return hours_text(value)
