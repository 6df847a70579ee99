"""`|iso_datetime`: the one way templates print machine-readable dates in <time datetime>."""

import re
from datetime import UTC, date, datetime, timedelta, timezone

from django.template import Context, Template
from django.test import override_settings

from cms.templatetags.html_dates import iso_datetime

# The HTML standard's "valid global date and time string", with the checker's limit of at most
# three digits for a fraction of a second.
GLOBAL = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$")


def test_aware_datetime_to_the_second_with_offset():
    moment = datetime(2026, 9, 1, 13, 46, 0, 293960, tzinfo=UTC)
    assert iso_datetime(moment) == "2026-09-01T13:46:00+00:00"
    assert GLOBAL.match(iso_datetime(moment))


@override_settings(TIME_ZONE="Europe/Madrid")
def test_aware_datetime_in_the_current_time_zone_like_the_visible_date():
    moment = datetime(2026, 12, 31, 23, 30, 5, 999999, tzinfo=UTC)
    # Madrid is already in the new year, as the date the page shows beside it.
    assert iso_datetime(moment) == "2027-01-01T00:30:05+01:00"


def test_other_offsets_and_naive_datetimes():
    moment = datetime(2026, 3, 1, 8, 0, 0, 1, tzinfo=timezone(timedelta(hours=-5)))
    assert GLOBAL.match(iso_datetime(moment))
    assert iso_datetime(datetime(2026, 3, 1, 8, 0, 0, 500000)) == "2026-03-01T08:00:00"


def test_dates_and_nothing():
    assert iso_datetime(date(2026, 9, 1)) == "2026-09-01"
    assert iso_datetime(None) == ""
    assert iso_datetime("") == ""


def test_every_template_has_it_without_loading():
    html = Template('<time datetime="{{ when|iso_datetime }}">x</time>').render(
        Context({"when": datetime(2026, 9, 1, 13, 46, 0, 293960, tzinfo=UTC)})
    )
    assert html == '<time datetime="2026-09-01T13:46:00+00:00">x</time>'


def test_every_time_element_in_the_templates_uses_it():
    """Without Java the Nu checker is skipped; this still catches `|date:'c'` coming back."""
    from django.conf import settings

    attribute = re.compile(r"""<time\b[^>]*\bdatetime=(["'])(.*?)\1""", re.S)
    # Inside {% blocktranslate %} the value is a variable bound with `name=…|iso_datetime`.
    bound = re.compile(r"\b(\w+)=[\w.]+\|iso_datetime\b")
    offenders = []
    for path in sorted((settings.BASE_DIR / "templates").rglob("*.html")):
        text = path.read_text(encoding="utf-8")
        names = {f"{{{{ {name} }}}}" for name in bound.findall(text)}
        for _quote, value in attribute.findall(text):
            if "{{" in value and "|iso_datetime" not in value and value.strip() not in names:
                offenders.append(f"{path.relative_to(settings.BASE_DIR)}: {value}")
    assert not offenders, "use |iso_datetime in <time datetime>:\n" + "\n".join(offenders)
